"""`Progbar`: Keras's text progress bar (`keras.utils.Progbar`)."""

import sys
import time

import numpy as np


class Progbar:
    """Keras 2's progress bar: `12/100 [==>...........] - ETA: 3s - loss: 0.5`.

    On a terminal the line is redrawn in place; elsewhere (logs, pipes) only the final line of
    each run is written, with no control characters.

    Args:
        target: total number of steps (None if unknown).
        width: bar width in characters.
        verbose: 1 (bar), 2 (one line at the end), 0 (silent).
        interval: minimum seconds between redraws.
        unit_name: `step` or `sample`.
    """

    def __init__(self, target, width=30, verbose=1, interval=0.05, unit_name="step",
                 stream=None):
        self.target, self.width, self.verbose = target, width, verbose
        self.interval, self.unit_name = interval, unit_name
        self.stream = stream
        out = stream or sys.stdout
        self._dynamic = (hasattr(out, "isatty") and out.isatty()) or "ipykernel" in sys.modules
        self._total_width = 0
        self._start = time.time()
        self._last_update = 0.0
        self._time_after_first_step = None
        self._seen_first = False

    def _write(self, text):
        out = self.stream or sys.stdout
        out.write(text)
        out.flush()

    @staticmethod
    def _format_time(seconds, unit):
        if seconds >= 1 or seconds == 0:
            return f" {seconds:.0f}s/{unit}"
        if seconds >= 1e-3:
            return f" {seconds * 1e3:.0f}ms/{unit}"
        return f" {seconds * 1e6:.0f}us/{unit}"

    @staticmethod
    def _format_values(values):
        info = ""
        for k, v in values:
            v = float(v)
            info += f" - {k}: {v:.4f}" if abs(v) > 1e-3 else f" - {k}: {v:.4e}"
        return info

    def _step_time(self, current, now):
        if current == 0:
            return 0.0
        if self._time_after_first_step is not None and current > 1:
            return (now - self._time_after_first_step) / (current - 1)
        return (now - self._start) / current

    def due(self, current):
        """Whether `update(current)` would draw now (only ever on a terminal with verbose=1)."""
        if not self._seen_first:
            self._seen_first = True
            self._time_after_first_step = time.time()
        return (self.verbose == 1 and self._dynamic
                and time.time() - self._last_update >= self.interval
                and (self.target is None or current < self.target))

    def update(self, current, values=(), finalize=None):
        """Draws the bar at step `current` with `values` (a list of (name, float))."""
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        now = time.time()
        if self.verbose == 1:
            if not finalize and (not self._dynamic or now - self._last_update < self.interval):
                return
            if self.target is not None:
                digits = int(np.log10(self.target)) + 1 if self.target > 0 else 1
                bar = f"{current:{digits}d}/{self.target} ["
                prog = current / self.target if self.target else 1.0
                prog_width = int(self.width * prog)
                if prog_width > 0:
                    bar += "=" * (prog_width - 1)
                    bar += ">" if current < self.target else "="
                bar += "." * (self.width - prog_width) + "]"
            else:
                bar = f"{current:7d}/Unknown"
            step_time = self._step_time(current, now)
            if self.target is None or finalize:
                info = f" - {now - self._start:.0f}s" + self._format_time(step_time, self.unit_name)
            else:
                eta = step_time * (self.target - current)
                if eta > 3600:
                    eta_text = f"{int(eta // 3600)}:{int((eta % 3600) // 60):02d}:{int(eta % 60):02d}"
                elif eta > 60:
                    eta_text = f"{int(eta // 60)}:{int(eta % 60):02d}"
                else:
                    eta_text = f"{int(eta)}s"
                info = f" - ETA: {eta_text}"
            line = bar + info + self._format_values(values)
            if self._dynamic:
                prev = self._total_width
                self._total_width = len(line)
                pad = " " * max(prev - len(line), 0)
                self._write("\r" + line + pad + ("\n" if finalize else ""))
            elif finalize:
                self._write(line + "\n")
            self._last_update = now
        elif self.verbose == 2 and finalize:
            target = self.target if self.target is not None else current
            digits = int(np.log10(target)) + 1 if target > 0 else 1
            line = f"{current:{digits}d}/{target} - {now - self._start:.0f}s"
            line += self._format_values(values)
            elapsed = now - self._start
            line += " -" + self._format_time(elapsed, "epoch")
            line += " -" + self._format_time(elapsed / max(current, 1), self.unit_name)
            self._write(line + "\n")
