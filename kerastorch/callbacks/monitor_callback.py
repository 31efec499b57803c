"""What the callbacks that watch a metric share: min/max mode and the improvement test."""

import warnings


class MonitorMixin:
    """Shared by callbacks that watch a metric: min/max mode and improvement test."""

    def _init_monitor(self, monitor, mode, min_delta):
        if mode not in ("auto", "min", "max"):
            warnings.warn(f"{type(self).__name__} mode '{mode}' is unknown, fallback to auto "
                          "mode.", stacklevel=3)
            mode = "auto"
        self.monitor, self.mode, self.min_delta = monitor, mode, abs(min_delta)
        self._maximize = None

    def _resolve_mode(self):
        if self._maximize is not None:
            return
        if self.mode != "auto":
            self._maximize = self.mode == "max"
            return
        name = self.monitor[4:] if self.monitor.startswith("val_") else self.monitor
        direction = None
        for m in getattr(self.model, "metrics", None) or []:
            if getattr(m, "name", None) == name and getattr(m, "_direction", None):
                direction = m._direction
        if direction is None:
            if name == "loss" or name.endswith("loss") or name in ("mse", "mae", "mape", "msle") \
                    or "error" in name:
                direction = "down"
            elif any(s in name for s in ("acc", "auc", "precision", "recall", "f1", "iou")):
                direction = "up"
        if direction is None:
            raise ValueError(f"{type(self).__name__} callback received monitor={self.monitor}, "
                             "but Keras isn't able to automatically determine whether that metric "
                             "should be maximized or minimized. Pass `mode='max'` in order to "
                             "monitor based on the highest metric value, or pass `mode='min'` in "
                             "order to use the lowest value.")
        self._maximize = direction == "up"

    def _is_improvement(self, value, reference):
        if reference is None:
            return True
        if self._maximize:
            return value - self.min_delta > reference
        return value + self.min_delta < reference

