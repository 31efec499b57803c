"""keras.distribution in one process: the API exists, and without torchrun nothing changes."""

import pytest
import torch

import kerastorch as keras
from kerastorch.distribution import ddp as distribute


def test_list_devices_uses_keras_names():
    devices = keras.distribution.list_devices()
    expected = "gpu" if torch.cuda.is_available() else "cpu"
    assert devices and all(d.startswith(expected + ":") for d in devices)
    assert keras.distribution.list_devices("cpu") == ["cpu:0"]
    with pytest.raises(ValueError, match="device_type"):
        keras.distribution.list_devices("tpu")


def test_set_distribution_single_process_is_plain_training():
    strategy = keras.distribution.DataParallel(devices=["cpu:0"])
    keras.distribution.set_distribution(strategy)
    try:
        assert keras.distribution.distribution() is strategy
        assert not distribute.active()
        model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
        model.compile("sgd", "mse")
        history = model.fit(torch.ones(8, 3), torch.zeros(8, 2), batch_size=4, verbose=0)
        assert len(history.history["loss"]) == 1
    finally:
        keras.distribution.set_distribution(None)
    with pytest.raises(ValueError, match="DataParallel"):
        keras.distribution.set_distribution("data_parallel")
    assert keras.distribution.DataParallel(sync_batchnorm=True).sync_batchnorm


def test_global_batch_must_divide_among_processes(monkeypatch):
    monkeypatch.setattr(distribute, "world_size", lambda: 3)
    assert distribute.per_rank_batch_size(12) == 4
    with pytest.raises(ValueError, match="global batch"):
        distribute.per_rank_batch_size(16)


def test_several_devices_without_torchrun_says_how_to_launch():
    keras.distribution.set_distribution(
        keras.distribution.DataParallel(devices=["cpu:0", "cpu:1"]))
    try:
        model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
        model.compile("sgd", "mse")
        with pytest.raises(RuntimeError, match="torchrun --nproc_per_node=2"):
            model.fit(torch.ones(4, 3), torch.zeros(4, 2), verbose=0)
    finally:
        keras.distribution.set_distribution(None)
