"""tf.train.Checkpoint / CheckpointManager (the TensorFlow side of a save-and-restore script is
compat_tests/tf_scripts/checkpoint_restore.py)."""

import os

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch.porting import tf


def _model():
    model = keras.Sequential([keras.layers.Dense(3)])
    model.build((None, 2))
    return model


def test_save_restore_model_optimizer_and_variables(tmp_path):
    model, opt = _model(), keras.optimizers.Adam(0.1)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(tf.ones((4, 2))))
    opt.apply_gradients(zip(tape.gradient(loss, model.trainable_weights),
                            model.trainable_weights))
    step = tf.Variable(7)
    inner = tf.train.Checkpoint(scale=tf.Variable([1.5, 2.5]))
    ckpt = tf.train.Checkpoint(model=model, optimizer=opt, step=step, extra=inner)
    path = ckpt.save(str(tmp_path / "ckpt"))
    assert path == str(tmp_path / "ckpt") + "-1"
    assert os.path.exists(path + ".index") and os.path.exists(path + ".data-00000-of-00001")
    assert tf.train.latest_checkpoint(str(tmp_path)) == path

    model2, opt2 = _model(), keras.optimizers.Adam(0.1)
    restored = tf.train.Checkpoint(model=model2, optimizer=opt2, step=tf.Variable(0),
                                   extra=tf.train.Checkpoint(scale=tf.Variable([0.0, 0.0])))
    restored.restore(path).assert_consumed()
    for a, b in zip(model.get_weights(), model2.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert int(restored.step) == 7
    assert restored.extra.scale.numpy().tolist() == [1.5, 2.5]
    assert int(restored.save_counter.numpy()) == 1
    # the optimizer's slots arrive at its first step, then both optimizers move alike
    for m, o in ((model, opt), (model2, opt2)):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(m(tf.ones((4, 2))) ** 2)
        o.apply_gradients(zip(tape.gradient(loss, m.trainable_weights), m.trainable_weights))
    for a, b in zip(model.get_weights(), model2.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-6)


def test_restore_reports_what_did_not_match(tmp_path):
    path = tf.train.Checkpoint(a=tf.Variable(1.0)).write(str(tmp_path / "one"))
    status = tf.train.Checkpoint(b=tf.Variable(2.0)).restore(path)
    with pytest.raises(AssertionError, match="b"):
        status.assert_existing_objects_matched()
    status.expect_partial()
    assert tf.train.Checkpoint(a=tf.Variable(1.0)).restore(None).assert_consumed()


def test_missing_checkpoint_and_bad_objects(tmp_path):
    with pytest.raises(tf.errors.NotFoundError):
        tf.train.Checkpoint(a=tf.Variable(1.0)).restore(str(tmp_path / "nothing-1"))
    with pytest.raises(ValueError, match="trackable"):
        tf.train.Checkpoint(a=None)
    with pytest.raises(ValueError, match="trackable"):
        tf.train.Checkpoint(a="text").save(str(tmp_path / "x"))
    with pytest.raises(ValueError, match="shape"):
        path = tf.train.Checkpoint(a=tf.Variable([1.0])).write(str(tmp_path / "s"))
        tf.train.Checkpoint(a=tf.Variable([1.0, 2.0])).restore(path)


def test_manager_keeps_the_last_n_and_resumes_numbering(tmp_path):
    ckpt = tf.train.Checkpoint(v=tf.Variable(0.0))
    manager = tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=2)
    assert manager.restore_or_initialize() is None
    paths = [manager.save() for _ in range(3)]
    assert [os.path.basename(p) for p in paths] == ["ckpt-1", "ckpt-2", "ckpt-3"]
    assert manager.checkpoints == paths[1:]
    assert not os.path.exists(paths[0] + ".index")
    assert manager.save(checkpoint_number=10).endswith("ckpt-10")
    again = tf.train.CheckpointManager(tf.train.Checkpoint(v=tf.Variable(5.0)), str(tmp_path),
                                       max_to_keep=2)
    assert again.latest_checkpoint.endswith("ckpt-10")
    assert again.restore_or_initialize().endswith("ckpt-10")
    assert float(again.checkpoint.v.numpy()) == 0.0
    with pytest.raises(TypeError, match="tf.train.Checkpoint"):
        tf.train.CheckpointManager(object(), str(tmp_path), 1)


def test_a_checkpoint_written_by_tensorflow_is_refused_with_directions(tmp_path):
    prefix = tmp_path / "tfckpt-1"
    (tmp_path / "tfckpt-1.index").write_bytes(b"\x00\x01binary sstable")
    with pytest.raises(NotImplementedError, match="load_weights"):
        tf.train.Checkpoint(a=tf.Variable(1.0)).restore(str(prefix))
    assert torch.is_tensor(tf.constant(1.0))


def test_restoring_into_an_unbuilt_model(tmp_path):
    saved = _model()
    path = tf.train.Checkpoint(net=saved).write(str(tmp_path / "m"))
    unbuilt = keras.Sequential([keras.layers.Dense(3)])
    tf.train.Checkpoint(net=unbuilt).restore(path).assert_consumed()  # built as saved: (None, 2)
    for a, b in zip(saved.get_weights(), unbuilt.get_weights()):
        np.testing.assert_array_equal(a, b)
    layer = keras.layers.Dense(3)
    layer.build((None, 2))  # built directly: no input shape recorded to build a twin with
    path = tf.train.Checkpoint(net=layer).write(str(tmp_path / "layer"))
    with pytest.raises(ValueError, match="build the model first"):
        tf.train.Checkpoint(net=keras.layers.Dense(3)).restore(path)


def test_an_unbuilt_subclassed_model_is_built_on_restore_and_iterators_are_skipped(tmp_path):
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.l1 = keras.layers.Dense(5)
            self.out = keras.layers.Dense(2)

        def call(self, x):
            return self.out(tf.nn.relu(self.l1(x)))

    net = Net()
    net(tf.ones((4, 3)))
    iterator = iter(tf.data.Dataset.from_tensor_slices([1.0, 2.0]))
    with pytest.warns(UserWarning, match="iterator"):
        path = tf.train.Checkpoint(net=net, iterator=iterator).save(str(tmp_path / "c"))
    fresh = Net()
    status = tf.train.Checkpoint(net=fresh, iterator=iter([1])).restore(path)
    status.expect_partial()
    for a, b in zip(net.get_weights(), fresh.get_weights()):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(fresh(tf.ones((2, 3))).numpy(), net(tf.ones((2, 3))).numpy())
