"""trainers/epoch_iterator.py: steps per epoch, continuing through the data, batches on the device."""

import warnings

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch import layers
from kerastorch.trainers import data_adapters
from kerastorch.trainers.epoch_iterator import EpochIterator


def _data(n=64, d=6, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)).astype("float32"), rng.integers(0, classes, size=(n,))


def _model(d=6, classes=3):
    return keras.Sequential([keras.Input((d,)), layers.Dense(8, activation="relu"),
                             layers.Dense(classes, activation="softmax")])


def _compiled(**kwargs):
    model = _model()
    model.compile(optimizer=kwargs.pop("optimizer", "adam"),
                  loss=kwargs.pop("loss", "sparse_categorical_crossentropy"),
                  metrics=kwargs.pop("metrics", ["accuracy"]), **kwargs)
    return model


def test_generator_with_sample_weights_and_steps_per_epoch():
    x, y = _data()
    sw = np.ones(64, dtype="float32")
    sw[::2] = 0.0

    def gen():
        while True:
            for i in range(0, 64, 16):
                yield x[i:i + 16], y[i:i + 16], sw[i:i + 16]

    model = _compiled(weighted_metrics=["accuracy"])
    h = model.fit(gen(), steps_per_epoch=4, epochs=3, verbose=0)
    assert len(h.history["loss"]) == 3
    assert model.optimizer.iterations == 12


def test_set_device_moves_model_and_batches():
    """On a CPU machine too: the meta device is not the CPU, so a model or a batch left behind
    fails this test (fit itself then stops where a value is read back from the meta device)."""
    x, y = _data()
    model = _compiled()
    batch_devices = []
    model.layers[0].register_forward_pre_hook(
        lambda module, args: batch_devices.append(args[0].device.type))
    keras.backend.set_device("meta")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the optimizer's parameters were replaced by .to()
            with pytest.raises(RuntimeError, match="meta"):
                model.fit(x, y, batch_size=16, epochs=1, verbose=0)
        assert all(p.device.type == "meta" for p in model.parameters())
        assert batch_devices == ["meta"] * 5  # the first-batch check, then the 4 batches
    finally:
        keras.backend.set_device(None)
    model = _compiled()
    keras.backend.set_device("cpu")
    try:
        model.fit(x, y, epochs=1, verbose=0)
        assert next(model.parameters()).device.type == "cpu"
    finally:
        keras.backend.set_device(None)


def test_epoch_iterator_moves_batches_only_off_the_cpu():
    x, y = torch.arange(12.0).reshape(6, 2), torch.arange(6)
    iterator = EpochIterator(data_adapters.get_adapter(x, y, batch_size=4))
    iterator.to(torch.device("cpu"))
    first = next(iter(iterator.epoch()))
    assert first[0].data_ptr() == x.data_ptr()  # a view of the data: nothing was copied
    iterator.to(torch.device("meta"))
    batches = list(iterator.epoch())
    assert [b[0].device.type for b in batches] == ["meta", "meta"]
    assert [b[1].device.type for b in batches] == ["meta", "meta"]
    assert batches[0][2] is None and [tuple(b[0].shape) for b in batches] == [(4, 2), (2, 2)]


def test_epoch_iterator_steps_continue_in_fit_and_restart_in_evaluate():
    x = torch.arange(10.0).reshape(10, 1)
    train = EpochIterator(data_adapters.get_adapter(x, batch_size=4), steps=2, training=True)
    firsts = [[float(b[0][0]) for b in train.epoch()] for _ in range(3)]
    assert firsts == [[0.0, 4.0], [8.0, 0.0], [4.0, 8.0]]
    test = EpochIterator(data_adapters.get_adapter(x, batch_size=4), steps=2)
    assert [[float(b[0][0]) for b in test.epoch()] for _ in range(2)] == [[0.0, 4.0]] * 2
    assert train.num_batches == 2 and EpochIterator(
        data_adapters.get_adapter(x, batch_size=4)).num_batches == 3


def test_steps_per_epoch_on_arrays_continues_through_the_data():
    x, y = _data(n=40)
    seen = []

    class Rec(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            seen.append(batch)

    sizes = []

    class Probe(keras.layers.Layer):
        def call(self, inputs, training=None):
            if self.training:
                sizes.append(inputs.shape[0])
            return inputs

    model = keras.Sequential([keras.Input((6,)), Probe(), layers.Dense(3, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy")
    h = model.fit(x, y, batch_size=16, steps_per_epoch=2, epochs=3, shuffle=False, verbose=0,
                  callbacks=[Rec()])
    assert seen == [0, 1] * 3 and model.optimizer.iterations == 6
    assert sizes == [16, 16, 8, 16, 16, 8]  # 40 samples: batches of 16, 16, 8, continuing
    assert len(h.history["loss"]) == 3
    import copy
    copy.deepcopy(model)  # nothing unpicklable left on the model
