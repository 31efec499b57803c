"""trainers/data_adapters/data_adapter_utils.py: cardinality, class weights, validation split,
unpacking, conversion errors."""

import numpy as np
import pytest
import torch

from kerastorch.trainers import data_adapters as data_adapter


def test_cardinality_error_names_every_size():
    with pytest.raises(ValueError, match="(?s)'x' sizes: 5, 4\n'y' sizes: 5"):
        data_adapter.get_adapter([np.zeros((5, 1)), np.zeros((4, 1))], np.zeros(5))


def test_class_weight_becomes_sample_weight_for_sparse_and_one_hot_labels():
    cw = {0: 1.0, 1: 3.0}
    sparse = data_adapter.class_weight_to_sample_weights(np.array([0, 1, 1, 2]), cw)
    np.testing.assert_allclose(sparse.numpy(), [1.0, 3.0, 3.0, 1.0])
    one_hot = data_adapter.class_weight_to_sample_weights(np.eye(2)[[1, 0]], cw)
    np.testing.assert_allclose(one_hot.numpy(), [3.0, 1.0])
    with pytest.raises(ValueError, match="`class_weight` and `sample_weight`"):
        data_adapter.get_adapter(np.zeros((4, 1)), np.zeros(4), sample_weight=np.ones(4),
                                 class_weight=cw)


def test_validation_split_takes_the_last_samples():
    x = torch.arange(10.0)[:, None]
    (tx, ty), (vx, vy) = data_adapter.train_validation_split((x, torch.arange(10)), 0.25)
    assert tx.shape[0] == 7 and vx.shape[0] == 3 and vy.tolist() == [7, 8, 9]


def test_unpack_x_y_sample_weight():
    assert data_adapter.unpack_x_y_sample_weight((1,)) == (1, None, None)
    assert data_adapter.unpack_x_y_sample_weight([1, 2]) == (1, 2, None)
    assert data_adapter.unpack_x_y_sample_weight(5) == (5, None, None)
    with pytest.raises(ValueError):
        data_adapter.unpack_x_y_sample_weight((1, 2, 3, 4))


def test_strings_are_rejected_with_a_clear_error():
    with pytest.raises(TypeError, match="string data"):
        data_adapter.get_adapter(np.array(["a", "b"]), np.zeros(2))
