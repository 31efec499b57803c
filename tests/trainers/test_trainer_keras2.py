"""trainers/trainer.py, Keras 2's names: `fit_generator` / `evaluate_generator` /
`predict_generator`, `fit(workers=, use_multiprocessing=, max_queue_size=)`, integer inputs,
empty data (errors as tf.keras 2.21 raises them, read from tf_trainer_keras2.py)."""

import json
import warnings

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch import layers
from tests.keras2.oracle import run_tf


class Batches(keras.utils.PyDataset):
    """4 deterministic batches of 8 (module level: DataLoader workers pickle it)."""

    def __len__(self):
        return 4

    def __getitem__(self, i):
        rng = np.random.RandomState(i)
        return rng.rand(8, 3).astype("float32"), rng.rand(8, 1).astype("float32")


def _model():
    torch.manual_seed(0)
    model = keras.Sequential([keras.Input((3,)), layers.Dense(1)])
    model.compile("sgd", "mse", metrics=["mae"])
    return model


def test_generator_methods_are_fit_evaluate_predict_with_keras2_warnings():
    ours, ref = _model(), _model()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = ours.fit_generator(Batches(), steps_per_epoch=3, epochs=2, verbose=0,
                                     validation_data=Batches(), validation_steps=2)
        evaluated = ours.evaluate_generator(Batches(), steps=2)
        predicted = ours.predict_generator(Batches(), steps=3)
    messages = [str(w.message) for w in caught]
    for name, instead in (("fit_generator", "fit"), ("evaluate_generator", "evaluate"),
                          ("predict_generator", "predict")):
        assert f"`Model.{name}` is deprecated and will be removed in a future version. Please "\
               f"use `Model.{instead}`, which supports generators." in messages
    expected = ref.fit(Batches(), steps_per_epoch=3, epochs=2, verbose=0,
                       validation_data=Batches(), validation_steps=2)
    assert sorted(history.history) == ["loss", "mae", "val_loss", "val_mae"]
    np.testing.assert_allclose(history.history["loss"], expected.history["loss"], rtol=1e-6)
    np.testing.assert_allclose(evaluated, ref.evaluate(Batches(), steps=2, verbose=0), rtol=1e-6)
    assert predicted.shape == (24, 1)
    np.testing.assert_allclose(predicted, ref.predict(Batches(), steps=3, verbose=0), rtol=1e-6)


@pytest.mark.parametrize("use_multiprocessing", [False, True])
def test_fit_with_workers_trains_as_one_worker_does(use_multiprocessing):
    one, many = _model(), _model()
    one.fit(Batches(), epochs=2, verbose=0)
    many.fit(Batches(), epochs=2, verbose=0, workers=2, use_multiprocessing=use_multiprocessing,
             max_queue_size=3)
    for a, b in zip(one.get_weights(), many.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    np.testing.assert_allclose(many.predict(Batches(), workers=2, verbose=0),
                               one.predict(Batches(), verbose=0), rtol=1e-6)
    assert many.evaluate(Batches(), workers=2, verbose=0) == \
        pytest.approx(one.evaluate(Batches(), verbose=0))


def test_unknown_fit_argument_still_raises():
    with pytest.raises(TypeError, match="unexpected keyword argument.*'worker'"):
        _model().fit(Batches(), worker=2)


@pytest.fixture(scope="module")
def tf_out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tf_trainer_keras2")
    run_tf(__import__("pathlib").Path(__file__).with_name("tf_trainer_keras2.py"), folder)
    return json.loads((folder / "tf_out.json").read_text())


def test_integer_arrays_are_cast_to_the_inputs_dtype_as_tf_keras(tf_out):
    x = np.arange(12).reshape(4, 3)
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
    model.set_weights([np.asarray(w, "float32") for w in tf_out["int_weights"]])
    np.testing.assert_allclose(model.predict(x, verbose=0), tf_out["int_predict"], atol=1e-5)
    model.compile("sgd", "mse")
    model.fit(x, np.zeros((4, 2)), verbose=0, epochs=1, batch_size=4)
    inputs = [keras.Input((3,)), keras.Input((2,), dtype="int32")]
    two = keras.Model(inputs, [layers.Dense(1)(inputs[0]), layers.Embedding(4, 2)(inputs[1])])
    out, emb = two([torch.ones(2, 3, dtype=torch.int64), torch.ones(2, 2, dtype=torch.int64)])
    assert out.dtype == torch.float32 and emb.shape == (2, 2, 2)


@pytest.mark.parametrize("call", ["fit", "evaluate", "predict", "validation"])
def test_empty_data_raises_what_tf_keras_raises(tf_out, call):
    model = _model()
    empty = (np.zeros((0, 3), "float32"), np.zeros((0, 1), "float32"))
    runs = {"fit": lambda: model.fit(*empty, verbose=0),
            "evaluate": lambda: model.evaluate(*empty, verbose=0),
            "predict": lambda: model.predict(empty[0], verbose=0),
            "validation": lambda: model.fit(np.ones((4, 3)), np.ones((4, 1)), verbose=0,
                                            validation_data=empty)}
    kind, message = tf_out["empty"][call]
    with pytest.raises(ValueError) as err:
        runs[call]()
    assert (type(err.value).__name__, str(err.value)) == (kind, message)
