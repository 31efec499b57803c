import numpy as np
import pytest
import torch

from kerastorch import Input
from kerastorch import layers
from tests.keras3 import import_keras3
from tests.layers.parity import check_symbolic

RNG = np.random.RandomState(0)


def _pair(keras3, **kwargs):
    k3 = keras3.layers.BatchNormalization(**kwargs)
    kt = layers.BatchNormalization(**kwargs)
    return k3, kt


@pytest.mark.parametrize("shape,axis", [((8, 5), -1), ((4, 6, 3), -1), ((4, 5, 6, 3), -1),
                                        ((4, 3, 5, 6), 1), ((2, 3, 4, 5, 2), -1)])
def test_training_step_matches_keras_outputs_and_moving_statistics(shape, axis):
    keras3 = import_keras3()
    x = (RNG.randn(*shape) * 3 + 1.5).astype("float32")
    k3, kt = _pair(keras3, axis=axis, momentum=0.9)
    k3.build(shape)
    kt.build(shape)
    start = [RNG.randn(*w.shape).astype("float32") for w in k3.weights]
    start[3] = np.abs(start[3]) + 0.5  # a variance
    k3.set_weights(start)
    kt.set_weights(start)
    y3 = keras3.ops.convert_to_numpy(k3(torch.tensor(x), training=True))
    yt = kt(torch.tensor(x), training=True).detach().numpy()
    np.testing.assert_allclose(yt, y3, atol=1e-5)
    expected = k3.get_weights()
    if len(shape) in (4, 5) and axis in (1, -1):
        # tf.keras 2 (TensorFlow's fused kernel) moves the variance with the unbiased batch
        # variance here; Keras 3 with the biased one. TensorFlow is the reference.
        reduce = tuple(d for d in range(len(shape)) if d != axis % len(shape))
        expected[3] = 0.9 * start[3] + 0.1 * x.var(axis=reduce, ddof=1)
    for a, b in zip(kt.get_weights(), expected, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)
    # Inference afterwards uses the moving statistics.
    kt.set_weights(k3.get_weights())
    y3 = keras3.ops.convert_to_numpy(k3(torch.tensor(x), training=False))
    np.testing.assert_allclose(kt(torch.tensor(x)).detach().numpy(), y3, atol=1e-5)


def test_moving_variance_uses_biased_batch_variance():
    bn = layers.BatchNormalization(momentum=0.0)
    x = torch.tensor([[0.0], [2.0]])
    bn(x, training=True)
    assert bn.moving_variance.numpy()[0] == pytest.approx(1.0, abs=1e-5)  # unbiased would be 2
    assert bn.moving_mean.numpy()[0] == pytest.approx(1.0)


def test_weights_are_parameters_and_buffers_in_keras_order():
    bn = layers.BatchNormalization()
    bn.build((None, 4, 4, 3))
    assert [w.name for w in bn.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]
    assert [w.trainable for w in bn.weights] == [True, True, False, False]
    assert sorted(dict(bn.named_buffers())) == ["running_mean", "running_var"]
    assert sorted(dict(bn.named_parameters())) == ["bias", "weight"]
    assert bn.count_params() == 12


def test_frozen_layer_runs_in_inference_mode_even_when_training():
    bn = layers.BatchNormalization()
    x = torch.randn(8, 3) * 5 + 2
    bn(x)
    bn.trainable = False
    y = bn(x, training=True)
    np.testing.assert_allclose(y.numpy(), (x / np.sqrt(1 + 1e-3)).numpy(), atol=1e-5)
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.0)


def test_default_call_is_inference_and_train_mode_is_training():
    bn = layers.BatchNormalization()
    x = torch.randn(8, 3) * 5 + 2
    bn(x)
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.0)
    bn.train()
    y = bn(x)
    assert abs(float(y.mean())) < 1e-5
    assert np.abs(bn.moving_mean.numpy()).sum() > 0


def test_center_and_scale_off_have_no_gamma_beta():
    bn = layers.BatchNormalization(center=False, scale=False)
    y = bn(torch.randn(4, 2), training=True)
    assert [w.name for w in bn.weights] == ["moving_mean", "moving_variance"]
    assert y.shape == (4, 2)


def test_symbolic_shape_and_bad_input():
    check_symbolic(layers.BatchNormalization(), (5, 5, 3), (None, 5, 5, 3))
    bn = layers.BatchNormalization()
    bn(torch.randn(2, 5, 5, 3))
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 3"):
        bn(Input((5, 5, 4)))
    with pytest.raises(ValueError, match="out of bounds"):
        layers.BatchNormalization(axis=4).build((None, 3))


def test_masked_training_uses_only_unmasked_steps():
    bn = layers.BatchNormalization(momentum=0.0)
    x = torch.tensor([[[1.0], [3.0], [100.0]]])
    mask = torch.tensor([[True, True, False]])
    bn(x, training=True, mask=mask)
    assert bn.moving_mean.numpy()[0] == pytest.approx(2.0)
    assert bn.moving_variance.numpy()[0] == pytest.approx(1.0)


def test_gradients_flow_to_gamma_and_beta():
    bn = layers.BatchNormalization()
    x = torch.randn(6, 4, 4, 3)
    bn(x, training=True).square().sum().backward()
    assert bn.weight.grad is not None and bn.bias.grad is not None


def test_config_round_trip():
    bn = layers.BatchNormalization(momentum=0.9, epsilon=1e-5, center=False)
    clone = layers.BatchNormalization.from_config(bn.get_config())
    assert (clone.momentum, clone.epsilon, clone.center) == (0.9, 1e-5, False)
