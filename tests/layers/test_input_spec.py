"""layers/input_spec.py: InputSpec and the check every layer call makes, against tf.keras 2."""

import json

import pytest
import torch

import kerastorch
from kerastorch import layers
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.input_spec import check_input_spec
from tests.keras2.oracle import run_tf

TF_SCRIPT = __file__.replace("test_input_spec.py", "tf_input_spec.py")

# (InputSpec arguments, input shape): each accepted, or refused with tf.keras's message.
CASES = [
    ({"ndim": 2}, [3, 4]),
    ({"ndim": 2}, [1, 2, 3]),
    ({"min_ndim": 3}, [2, 3]),
    ({"min_ndim": 3}, [2, 3, 4, 5]),
    ({"max_ndim": 2}, [2, 3, 4]),
    ({"axes": {"-1": 4}}, [3, 4]),
    ({"axes": {"-1": 4}}, [3, 3]),
    ({"ndim": 3, "axes": {"1": 5}}, [2, 4, 6]),
]
# Where kerastorch's message is known to differ (strict: the test fails once it matches).
KNOWN_DIFFERENCES = {4: "kerastorch appends 'Full shape received: ...' to the max_ndim error, "
                        "tf.keras does not (a message change, left out of the layout move)"}


def _spec(arguments):
    if "axes" in arguments:  # JSON keys are strings
        arguments = dict(arguments, axes={int(k): v for k, v in arguments["axes"].items()})
    return InputSpec(**arguments)


class _Spec(layers.Layer):
    def __init__(self, spec, **kwargs):
        super().__init__(**kwargs)
        self.input_spec = spec

    def call(self, inputs):
        return inputs


def _ours(arguments, shape):
    try:
        _Spec(_spec(arguments), name="spec")(torch.ones(shape))
    except ValueError as err:
        return str(err)
    return None


@pytest.fixture(scope="module")
def tf_messages():
    """tf.keras's outcome of each case, from one TensorFlow run."""
    messages = json.loads(run_tf(TF_SCRIPT, json.dumps(CASES)))
    assert len(messages) == len(CASES)
    assert None in messages and any(messages)  # the cases reach both outcomes
    return messages


@pytest.mark.parametrize("index", [
    pytest.param(i, marks=pytest.mark.xfail(strict=True, reason=KNOWN_DIFFERENCES[i]))
    if i in KNOWN_DIFFERENCES else i for i in range(len(CASES))])
def test_input_spec_error_matches_tf_keras(index, tf_messages):
    arguments, shape = CASES[index]
    assert _ours(arguments, shape) == tf_messages[index], (arguments, shape)


def test_input_spec_is_the_public_class():
    assert layers.InputSpec is InputSpec
    assert kerastorch.InputSpec is InputSpec
    assert InputSpec.__module__ == "kerastorch.layers.input_spec"


def test_check_input_spec_ignores_no_spec_and_unknown_dimensions():
    layer = _Spec(None, name="spec")
    check_input_spec(layer, None, (1, 2, 3))
    check_input_spec(layer, InputSpec(axes={-1: 4}), (None, 4))
    check_input_spec(layer, InputSpec(axes={1: 4}), (2, None))  # unknown size: accepted
    with pytest.raises(ValueError, match=r'^Input 2 of layer "spec" .*expected axis 1 '):
        check_input_spec(layer, InputSpec(axes={1: 4}), (2, 5), index=2)
