"""tf.GradientTape against real TensorFlow 2.21: the cases of tape_cases.py run under both, and
first, second and third order gradients, Jacobians, unconnected sources and errors agree."""

import pytest
import torch

from kerastorch.porting import tf
from tests.porting.tf import parity


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return parity.both("tape_cases.py", tmp_path_factory.mktemp("tape"))


CASES = parity.case_names("tape_cases.py")


@pytest.mark.parametrize("name", CASES)
def test_case_matches_tensorflow(results, name):
    ours, theirs = results
    parity.assert_same(ours[name], theirs[name], name)


def test_watch_makes_a_constant_differentiable_in_place():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(x * x)
    assert x.requires_grad
    assert torch.equal(tape.gradient(y, x), torch.tensor([2.0, 4.0]))


def test_integer_watch_is_ignored_and_bad_source_raises():
    i = tf.constant([1, 2])
    with tf.GradientTape() as tape:
        tape.watch(i)
        y = tf.reduce_sum(tf.cast(i, tf.float32))
    assert not i.requires_grad
    with pytest.raises(ValueError, match="source must be a tensor"):
        tape.gradient(y, "not a tensor")


def test_gradient_of_keras_kernel_is_in_keras_layout_and_optimizer_accepts_it():
    import kerastorch as keras
    layer = keras.layers.Dense(2)
    x = torch.ones((3, 5))
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(layer(x))
    kernel_grad, bias_grad = tape.gradient(y, layer.trainable_weights)
    assert tuple(kernel_grad.shape) == (5, 2)
    assert torch.allclose(kernel_grad, torch.full((5, 2), 3.0))
    before = layer.kernel.numpy()
    keras.optimizers.SGD(1.0).apply_gradients(zip([kernel_grad, bias_grad],
                                                   layer.trainable_weights))
    assert torch.allclose(torch.as_tensor(layer.kernel.numpy()), torch.as_tensor(before) - 3.0)


def test_unknown_unconnected_gradients_value_raises():
    v = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        y = v * 2.0
    with pytest.raises(ValueError, match="unconnected_gradients"):
        tape.gradient(y, v, unconnected_gradients="sometimes")


def test_non_persistent_tape_frees_its_graph_when_no_other_tape_is_live():
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(v * v * v)
    tape.gradient(y, v)
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        torch.autograd.grad(y, v.value)


def test_gradient_inside_its_own_non_persistent_tape_builds_no_second_graph():
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(v ** 3)
        g = tape.gradient(y, v)
    assert g.grad_fn is None and g.tolist() == [3.0, 12.0]
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = tf.reduce_sum(v ** 3)
        g = inner.gradient(y, v)
    assert g.grad_fn is not None
    assert outer.gradient(g, v).tolist() == [6.0, 12.0]
