"""`model.summary()`: Keras 2's text table, byte for byte."""

import numpy as np


def count_params(weights):
    seen, total = set(), 0
    for w in weights:
        key = (id(w._layer), w._attr)
        if key not in seen:
            seen.add(key)
            total += int(np.prod(w.shape))
    return total


def _is_sequential_like(model):
    if type(model).__name__ == "Sequential" or not model._is_graph_network:
        return True
    nodes = []
    for depth_nodes in model._nodes_by_depth.values():
        if len(depth_nodes) > 1 or (len(depth_nodes) == 1 and len(depth_nodes[0].input_tensors) > 1):
            return False
        nodes += depth_nodes
    node_ids = {id(n) for n in nodes}
    for layer in model.layers:
        if sum(1 for n in layer._inbound_nodes if id(n) in node_ids) > 1:
            return False
    return True


def _class_name(layer):
    """Keras 2 shows a model built by `Model(inputs, outputs)` as `Functional`."""
    name = type(layer).__name__
    if name == "Model" and getattr(layer, "_is_graph_network", False):
        return "Functional"
    return name


def _layer_range(model, layer_range):
    if layer_range is None:
        return 0, len(model.layers)
    if len(layer_range) != 2:
        raise ValueError("layer_range must be a list or tuple of length 2. Received: "
                         f"layer_range = {layer_range} of length {len(layer_range)}")
    names = [layer.name for layer in model.layers]
    indices = []
    for pattern in layer_range:
        import re
        matches = [i for i, n in enumerate(names) if re.match(pattern, n)]
        if not matches:
            raise ValueError(f"Passed layer_names do not match the layer names in the model. "
                             f"Received: {layer_range}")
        indices.append(matches)
    return min(indices[0]), max(indices[1]) + 1


def print_summary(model, line_length=None, positions=None, print_fn=None, expand_nested=False,
                  show_trainable=False, layer_range=None):
    """Prints the summary of `model` in Keras 2's layout (`print_fn` gets one line at a time)."""
    if print_fn is None:
        print_fn = print
    sequential_like = _is_sequential_like(model)
    if sequential_like:
        line_length = line_length or 65
        positions = list(positions or [0.45, 0.85, 1.0])
        to_display = ["Layer (type)", "Output Shape", "Param #"]
    else:
        line_length = line_length or 98
        positions = list(positions or [0.33, 0.55, 0.67, 1.0])
        to_display = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    relevant_nodes = set()
    if not sequential_like:
        for nodes in model._nodes_by_depth.values():
            relevant_nodes.update(id(n) for n in nodes)
    if show_trainable:
        line_length += 11
        positions.append(line_length)
        to_display.append("Trainable")
    start, stop = _layer_range(model, layer_range)

    def print_row(fields, nested_level=0):
        left = [str(x) for x in fields]
        while any(left):
            line = ""
            for col in range(len(left)):
                start_pos = positions[col - 1] if col > 0 else 0
                end_pos = positions[col]
                space = 2 if col != len(positions) - 1 else 0
                cutoff = end_pos - start_pos - space
                fit = left[col][:cutoff]
                # Break long cells after a closing bracket, as Keras does.
                candidates = [fit.find(x) + len(x) for x in ("),", "},", "],", "',")
                              if fit.find(x) >= 0]
                if candidates:
                    cutoff = min(candidates)
                    fit = fit[:cutoff]
                if col == 0:
                    line += "|" * nested_level + " "
                line += fit
                line += " " * space if space else ""
                left[col] = left[col][cutoff:]
                if nested_level:
                    line += " " * (positions[col] - len(line) - nested_level)
                else:
                    line += " " * (positions[col] - len(line))
            line += "|" * nested_level
            print_fn(line)

    def output_shape_of(layer):
        try:
            return layer.output_shape
        except AttributeError:
            return "multiple"

    def params_of(layer):
        if not layer.built and not getattr(layer, "_is_graph_network", False):
            return "0 (unused)"
        return layer.count_params()

    def print_layer(layer, nested_level=0, is_nested_last=False):
        fields = [f"{layer.name} ({_class_name(layer)})", output_shape_of(layer),
                  params_of(layer)]
        if not sequential_like:
            connections = []
            for node in layer._inbound_nodes:
                if relevant_nodes and id(node) not in relevant_nodes:
                    continue
                for inbound, node_index, tensor_index in node.iterate_inbound():
                    connections.append(f"{inbound.name}[{node_index}][{tensor_index}]")
            fields.append(connections)
        if show_trainable:
            fields.append("Y" if layer.trainable else "N")
        print_row(fields, nested_level)
        nested = getattr(layer, "layers", None) if expand_nested else None
        if nested:
            print_fn("|" * (nested_level + 1) + "\u00af" * (line_length - 2 * nested_level - 2)
                     + "|" * (nested_level + 1))
            for i, sub in enumerate(nested):
                print_layer(sub, nested_level + 1, i == len(nested) - 1)
            print_fn("|" * nested_level + "\u00af" * (line_length - 2 * nested_level)
                     + "|" * nested_level)
            is_nested_last = True  # Keras 2 prints no blank line after a closed nested table.
        if not is_nested_last:
            print_fn("|" * nested_level + " " * (line_length - 2 * nested_level)
                     + "|" * nested_level)

    print_fn(f'Model: "{model.name}"')
    print_fn("_" * line_length)
    print_row(to_display)
    print_fn("=" * line_length)
    for layer in model.layers[start:stop]:
        print_layer(layer)
    print_fn("=" * line_length)
    trainable_count = count_params(model.trainable_weights)
    non_trainable_count = count_params(model.non_trainable_weights)
    print_fn(f"Total params: {trainable_count + non_trainable_count:,}")
    print_fn(f"Trainable params: {trainable_count:,}")
    print_fn(f"Non-trainable params: {non_trainable_count:,}")
    print_fn("_" * line_length)
