"""Oracle side of tests/trainers/test_trainer_keras2.py: tf.keras 2.21 on integer inputs and on
empty data; writes `tf_out.json` into the folder argv[1]. Imports tf_keras / numpy only."""

import json
import sys
from pathlib import Path

import numpy as np
import tf_keras as keras


def main(folder):
    out = {}
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    out["int_weights"] = [w.tolist() for w in model.get_weights()]
    out["int_predict"] = model.predict(np.arange(12).reshape(4, 3), verbose=0).tolist()
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse", metrics=["mae"])
    empty = (np.zeros((0, 3), "float32"), np.zeros((0, 1), "float32"))
    runs = {"fit": lambda: model.fit(*empty, verbose=0),
            "evaluate": lambda: model.evaluate(*empty, verbose=0),
            "predict": lambda: model.predict(empty[0], verbose=0),
            "validation": lambda: model.fit(np.ones((4, 3)), np.ones((4, 1)), verbose=0,
                                            validation_data=empty)}
    out["empty"] = {}
    for name, run in runs.items():
        try:
            run()
            out["empty"][name] = [None, None]
        except Exception as err:  # noqa: BLE001 - the oracle records whatever tf.keras raises
            out["empty"][name] = [type(err).__name__, str(err)]
    (Path(folder) / "tf_out.json").write_text(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
