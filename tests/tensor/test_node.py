"""tensor/node.py: a Node records one layer call on KerasTensors and links the outputs to it."""

import kerastorch as keras
from kerastorch import layers
from kerastorch.tensor import Node


def test_a_layer_call_makes_one_node_with_its_arguments_and_history():
    a, b = keras.Input((4,), name="a"), keras.Input((4,), name="b")
    dense = layers.Dense(3, name="d")
    y1 = dense(a)
    y2 = dense(b, training=False)
    assert [type(n) for n in dense._inbound_nodes] == [Node, Node]
    first, second = dense._inbound_nodes
    assert first.call_inputs is a and first.input_tensors == [a] and first.outputs is y1
    assert second.call_kwargs == {"training": False} and second.output_tensors == [y2]
    assert y1._keras_history == (dense, 0, 0) and y2._keras_history == (dense, 1, 0)
    assert first.parent_nodes == [a._keras_history[0]._inbound_nodes[0]]
    assert list(second.iterate_inbound()) == [b._keras_history]
    assert first.input_shapes == (None, 4) and first.output_shapes == (None, 3)


def test_tensors_among_args_and_kwargs_are_node_inputs_and_the_input_node_has_none():
    a, b = keras.Input((4,)), keras.Input((4,))
    pair = layers.Concatenate()([a, b])
    node = pair._keras_history[0]._inbound_nodes[0]
    assert node.input_tensors == [a, b] and not node.is_input
    input_node = a._keras_history[0]._inbound_nodes[0]
    assert input_node.is_input and input_node.input_tensors == [] and input_node.outputs is a
    assert input_node.input_shapes == [(None, 4)] and input_node.output_shapes == [(None, 4)]
