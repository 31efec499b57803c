"""activations.py: every activation of Keras 3's `keras.activations` exists here and computes the
same (default and non-default arguments, large and small inputs); get / serialize / deserialize
by name, as Keras 3 reads them."""

import inspect

import numpy as np
import pytest
import torch

from kerastorch import activations
from tests.keras3 import import_keras3

X = np.concatenate([np.linspace(-6, 6, 25), [-80.0, -1e-4, 0.0, 1e-4, 80.0]]).astype("float32")
X2 = np.random.default_rng(0).normal(size=(3, 6)).astype("float32") * 3
ARGS = {  # non-default arguments
    "relu": {"negative_slope": 0.1, "max_value": 4.0, "threshold": 0.5},
    "leaky_relu": {"negative_slope": 0.3}, "elu": {"alpha": 0.5}, "celu": {"alpha": 2.0},
    "gelu": {"approximate": True}, "hard_shrink": {"threshold": 1.0},
    "soft_shrink": {"threshold": 1.0}, "squareplus": {"b": 2}, "softmax": {"axis": 0},
    "log_softmax": {"axis": 0}, "sparsemax": {"axis": 0},
}
REQUIRED = {"threshold": {"threshold": 0.5, "default_value": -2.0}}


def _keras3_names(keras3):
    return sorted(n for n in dir(keras3.activations) if not n.startswith("_")
                  and inspect.isfunction(getattr(keras3.activations, n))
                  and n not in ("get", "serialize", "deserialize"))


def test_every_keras3_activation_is_here():
    keras3 = import_keras3()
    missing = [n for n in _keras3_names(keras3) if not hasattr(activations, n)]
    assert not missing


@pytest.mark.parametrize("use_args", [False, True])
def test_activations_compute_what_keras3_computes(use_args):
    keras3 = import_keras3()
    for name in _keras3_names(keras3):
        kwargs = dict(REQUIRED.get(name, {}))
        if use_args:
            kwargs.update(ARGS.get(name, {}))
        for x in (X2, X.reshape(5, 6)):
            theirs = keras3.ops.convert_to_numpy(getattr(keras3.activations, name)(x, **kwargs))
            ours = getattr(activations, name)(torch.as_tensor(x), **kwargs)
            np.testing.assert_allclose(ours.detach().numpy(), theirs, atol=1e-5, rtol=1e-5,
                                       err_msg=f"{name}{kwargs}")


def test_get_by_name_and_serialize_round_trip_with_keras3():
    keras3 = import_keras3()
    for name in _keras3_names(keras3):
        ours = activations.get(name)
        assert activations.get(activations.serialize(ours)) is ours, name
        # what Keras 3 writes for it reads back here as the same function, and vice versa
        theirs_name = keras3.activations.serialize(keras3.activations.get(name))
        assert activations.deserialize(theirs_name) is ours, name
        assert keras3.activations.get(activations.serialize(ours)).__name__ in (
            keras3.activations.get(name).__name__, "silu")


def test_get_none_callables_and_unknown_names():
    assert activations.get(None) is activations.linear
    fn = lambda x: x * 2  # noqa: E731
    assert activations.get(fn) is fn
    assert activations.get("swish") is activations.silu
    assert activations.get("hard_swish") is activations.hard_silu
    with pytest.raises(ValueError, match="Could not interpret activation function identifier: "
                                         "nope"):
        activations.get("nope")


def test_activation_strings_reach_layers():
    from kerastorch import layers
    dense = layers.Dense(2, activation="sparsemax")
    out = dense(np.ones((1, 3), "float32"))
    np.testing.assert_allclose(out.sum(-1).detach().numpy(), [1.0], atol=1e-6)
