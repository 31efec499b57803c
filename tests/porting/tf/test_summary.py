"""tf.summary writes TensorBoard event files through torch.utils.tensorboard."""

import numpy as np
import pytest

from kerastorch.porting import tf

pytest.importorskip("tensorboard", reason="tf.summary needs the tensorboard extra")


def _events(logdir):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    acc = EventAccumulator(str(logdir), size_guidance={"images": 0, "scalars": 0,
                                                       "histograms": 0})
    acc.Reload()
    return acc


def test_scalar_image_histogram_are_written_at_their_steps(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path / "logs"))
    with writer.as_default():
        for step in range(3):
            assert tf.summary.scalar("loss", 1.0 / (step + 1), step=step)
        assert tf.summary.histogram("weights", tf.constant(np.arange(10.0)), step=0)
        assert tf.summary.image("sample", np.ones((2, 4, 4, 3), "float32"), step=1)
    writer.close()
    acc = _events(tmp_path / "logs")
    assert [round(e.value, 4) for e in acc.Scalars("loss")] == [1.0, 0.5, 0.3333]
    assert [e.step for e in acc.Scalars("loss")] == [0, 1, 2]
    assert acc.Histograms("weights")[0].step == 0
    assert {t for t in acc.Tags()["images"]} == {"sample/image/0", "sample/image/1"}


def test_default_step_and_no_writer(tmp_path):
    assert tf.summary.scalar("x", 1.0, step=0) is False  # no default writer: nothing written
    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default():
        with pytest.raises(ValueError, match="No step set"):
            tf.summary.scalar("x", 1.0)
        tf.summary.experimental.set_step(5)
        assert tf.summary.scalar("x", 2.0)
        tf.summary.experimental.set_step(None)
    writer.close()
    assert [e.step for e in _events(tmp_path).Scalars("x")] == [5]


def test_image_needs_four_dimensions(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default(step=0):
        with pytest.raises(ValueError, match="4-D"):
            tf.summary.image("bad", np.ones((4, 4, 3)))
    writer.close()


def test_summary_under_kerastorch_run_sees_tensorboard_without_the_shim(tmp_path):
    """tensorboard probes `import tensorflow`; the script's own (kerastorch's) must not be it."""
    from tests.porting.tf import parity
    script = tmp_path / "script.py"
    script.write_text(
        "import glob, sys\n"
        "import tensorflow as tf\n"
        "writer = tf.summary.create_file_writer(sys.argv[0] + '.logs')\n"
        "with writer.as_default():\n"
        "    tf.summary.scalar('loss', tf.constant(0.5), step=1)\n"
        "writer.close()\n"
        "print(len(glob.glob(sys.argv[0] + '.logs/events.out.tfevents.*')))\n")
    assert parity.run_kerastorch(script, tmp_path).split() == ["1"]
    assert [e.value for e in _events(str(script) + ".logs").Scalars("loss")] == [0.5]
