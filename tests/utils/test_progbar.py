"""utils/progbar.py: the progress bar on a terminal."""

import sys

import kerastorch as keras


def test_progress_bar_on_a_terminal_redraws_in_place(monkeypatch):
    import io

    class TTY(io.StringIO):
        def isatty(self):
            return True

    stream = TTY()
    monkeypatch.setattr(sys, "stdout", stream)
    bar = keras.callbacks.Progbar(10, interval=0.0)
    for i in range(1, 10):
        bar.due(i)
        bar.update(i, [("loss", 0.5)])
    bar.update(10, [("loss", 0.25)], finalize=True)
    text = stream.getvalue()
    assert text.count("\r") == 10 and text.endswith("\n")
    assert " - ETA: " in text
    assert text.rstrip().split("\r")[-1].startswith("10/10 [==============================]")
