"""MonitorMixin (EarlyStopping, ReduceLROnPlateau, ModelCheckpoint): mode resolution from the
monitor's name or the metric's direction, min_delta, the unknown-mode warning and the error."""

import warnings

import pytest

import kerastorch as keras
from kerastorch.callbacks.monitor_callback import MonitorMixin
from tests.keras3 import import_keras3


class Watch(MonitorMixin, keras.callbacks.Callback):
    def __init__(self, monitor, mode="auto", min_delta=0.0):
        super().__init__()
        self._init_monitor(monitor, mode, min_delta)


def _maximize(monitor, mode="auto", model=None):
    w = Watch(monitor, mode)
    if model is not None:
        w.set_model(model)
    w._resolve_mode()
    return w._maximize


@pytest.mark.parametrize("monitor,up", [
    ("loss", False), ("val_loss", False), ("val_mse", False), ("mae", False),
    ("mean_absolute_error", False), ("my_custom_loss", False), ("accuracy", True),
    ("val_acc", True), ("auc", True), ("val_precision", True), ("recall", True),
    ("f1_score", True), ("mean_iou", True)])
def test_auto_mode_from_the_name(monitor, up):
    assert _maximize(monitor) is up
    assert _maximize(monitor, mode="max") is True
    assert _maximize(monitor, mode="min") is False


def test_auto_mode_from_a_metrics_direction_and_the_error():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=[keras.metrics.R2Score(name="score")])
    model.fit([[0.0, 1.0], [1.0, 0.0]], [[1.0], [0.0]], epochs=1, verbose=0)
    with pytest.raises(ValueError, match="monitor=val_thing"):
        _maximize("val_thing", model=model)
    direction = getattr(model.metrics[-1], "_direction", None)
    if direction is not None:
        assert _maximize("val_score", model=model) is (direction == "up")


def test_unknown_mode_warns_and_falls_back_to_auto():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        w = Watch("loss", mode="highest")
    assert w.mode == "auto" and any("highest" in str(c.message) for c in caught)
    w._resolve_mode()
    assert w._maximize is False


def test_min_delta_is_absolute_and_used_both_ways():
    down = Watch("loss", min_delta=-0.1)
    assert down.min_delta == 0.1
    down._resolve_mode()
    assert down._is_improvement(1.0, None)
    assert down._is_improvement(0.85, 1.0) and not down._is_improvement(0.95, 1.0)
    up = Watch("accuracy", min_delta=0.1)
    up._resolve_mode()
    assert up._is_improvement(0.75, 0.6) and not up._is_improvement(0.65, 0.6)


@pytest.mark.parametrize("monitor,mode", [("loss", "auto"), ("val_loss", "auto"),
                                          ("val_thing", "max"),
                                          ("val_thing", "min"), ("val_accuracy", "min")])
def test_early_stopping_direction_matches_keras3(monitor, mode):
    # (Keras 3 resolves other names in auto mode from the compiled metrics only)
    k3 = import_keras3()
    theirs = k3.callbacks.EarlyStopping(monitor=monitor, mode=mode)
    ours = keras.callbacks.EarlyStopping(monitor=monitor, mode=mode)
    model = k3.Sequential([k3.Input((2,)), k3.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    theirs.set_model(model)
    theirs._set_monitor_op()
    ours.set_model(keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]))
    ours._resolve_mode()
    assert ours._maximize is bool(theirs.monitor_op(2.0, 1.0))
