"""Run under TensorFlow (tests/layers/test_input_spec.py): the ValueError tf.keras 2 raises for
each InputSpec case of `CASES`, one JSON list on stdout."""

import json
import sys

import numpy as np
import tf_keras as keras

CASES = json.loads(sys.argv[1])


class Spec(keras.layers.Layer):
    def __init__(self, spec, **kwargs):
        super().__init__(**kwargs)
        if "axes" in spec:  # JSON keys are strings
            spec = dict(spec, axes={int(k): v for k, v in spec["axes"].items()})
        self.input_spec = keras.layers.InputSpec(**spec)

    def call(self, inputs):
        return inputs


out = []
for spec, shape in CASES:
    try:
        Spec(spec, name="spec")(np.ones(shape, "float32"))
        out.append(None)
    except ValueError as err:
        out.append(str(err))
print(json.dumps(out))
