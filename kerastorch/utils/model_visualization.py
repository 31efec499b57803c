"""`keras.utils.plot_model` and `model_to_dot`: a model's graph through pydot and graphviz.

pydot builds the graph; graphviz (the `dot` program) renders it. Writing a `.dot` / `.gv` file
needs only pydot.
"""

import os

try:
    import pydot
except ImportError:
    pydot = None

_RAW_EXTENSIONS = ("dot", "gv", "raw")


def check_pydot():
    """True when pydot is installed."""
    return pydot is not None


def check_graphviz():
    """True when pydot and graphviz's `dot` program both work."""
    if not check_pydot():
        return False
    try:
        pydot.Dot.create(pydot.Dot())
        return True
    except (OSError, pydot.PydotException):
        return False


def _shape_text(shape):
    if isinstance(shape, list) and len(shape) == 1:
        shape = shape[0]
    return str(shape)


def _label(layer, show_shapes, show_dtype, show_layer_names, show_layer_activations,
           show_trainable):
    title = type(layer).__name__
    if show_layer_names:
        title = f"{layer.name} ({title})"
    rows = [title]
    if show_shapes:
        try:
            input_shape = _shape_text(layer.input_shape)
        except AttributeError:
            input_shape = "?"
        try:
            output_shape = _shape_text(layer.output_shape)
        except AttributeError:
            output_shape = "?"
        rows.append(f"Input shape: {input_shape}")
        rows.append(f"Output shape: {output_shape}")
    if show_dtype:
        rows.append(f"Output dtype: {layer.dtype}")
    if show_layer_activations and getattr(layer, "activation", None) is not None:
        activation = layer.activation
        rows.append(f"Activation: {getattr(activation, '__name__', activation)}")
    if show_trainable:
        rows.append(f"Trainable: {'T' if layer.trainable else 'F'}")
    return "\\n".join(rows)


def model_to_dot(model, show_shapes=False, show_dtype=False, show_layer_names=True, rankdir="TB",
                 expand_nested=False, dpi=200, subgraph=False, show_layer_activations=False,
                 show_trainable=False, splines="ortho", **kwargs):
    """The model's graph as a `pydot.Dot` (or a `pydot.Cluster` with `subgraph=True`).

    Args:
        model: a built kerastorch model.
        show_shapes: show each layer's input and output shapes.
        show_dtype: show each layer's dtype.
        show_layer_names: show layer names beside their class names.
        rankdir: `"TB"` (vertical) or `"LR"` (horizontal).
        expand_nested: draw nested models as clusters of their layers.
        dpi: image resolution.
        show_layer_activations: show the `activation` of layers that have one.
        show_trainable: show whether each layer is trainable.
        splines: graphviz edge style (`"ortho"`, `"curved"`, `"line"`, ...).

    Example:
        >>> dot = keras.utils.model_to_dot(model, show_shapes=True)
        >>> dot.write("model.dot", format="raw")
    """
    if not model.built:
        raise ValueError("This model has not yet been built. Build the model first by calling "
                         "`build()` or by calling the model on a batch of data.")
    if not check_pydot():
        raise ImportError("You must install pydot (`pip install pydot`) for model_to_dot to work.")
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments: {kwargs}")
    if subgraph:
        dot = pydot.Cluster(style="dashed", graph_name=model.name)
        dot.set("label", model.name)
        dot.set("labeljust", "l")
    else:
        dot = pydot.Dot()
        dot.set("rankdir", rankdir)
        dot.set("concentrate", True)
        dot.set("dpi", dpi)
        dot.set("splines", splines)
        dot.set_node_defaults(shape="box")
    options = dict(show_shapes=show_shapes, show_dtype=show_dtype,
                   show_layer_names=show_layer_names,
                   show_layer_activations=show_layer_activations, show_trainable=show_trainable)

    layers = list(model.layers)
    ends = {}  # id(layer) -> (node id where edges enter, node id where edges leave)
    for layer in layers:
        if expand_nested and hasattr(layer, "layers") and getattr(layer, "built", False):
            cluster = model_to_dot(layer, expand_nested=True, subgraph=True, **options)
            dot.add_subgraph(cluster)
            inner = [str(id(sub)) for sub in layer.layers]
            ends[id(layer)] = (inner[0], inner[-1]) if inner else (str(id(layer)),) * 2
            continue
        node_id = str(id(layer))
        dot.add_node(pydot.Node(node_id, label=_label(layer, **options)))
        ends[id(layer)] = (node_id, node_id)

    network_nodes = getattr(model, "_network_nodes", None)
    edges = set()
    for layer in layers:
        for node in layer._inbound_nodes:
            if network_nodes is not None and id(node) not in network_nodes:
                continue
            for tensor in node.input_tensors:
                parent = tensor._keras_history[0] if tensor._keras_history else None
                if parent is None or id(parent) not in ends:
                    continue
                edge = (ends[id(parent)][1], ends[id(layer)][0])
                if edge not in edges:
                    edges.add(edge)
                    dot.add_edge(pydot.Edge(*edge))
    return dot


def plot_model(model, to_file="model.png", show_shapes=False, show_dtype=False,
               show_layer_names=False, rankdir="TB", expand_nested=False, dpi=200,
               show_layer_activations=False, show_trainable=False, splines="ortho", **kwargs):
    """Draws the model's graph into `to_file` (format from its extension, default png).

    Needs pydot (`pip install pydot`) and, except for `.dot`/`.gv` files, graphviz's `dot`
    program (https://graphviz.gitlab.io/download/); raises ImportError saying which is missing.

    Example:
        >>> keras.utils.plot_model(model, to_file="model.png", show_shapes=True)
    """
    if not model.built:
        raise ValueError("This model has not yet been built. Build the model first by calling "
                         "`build()` or by calling the model on a batch of data.")
    to_file = os.fspath(to_file)
    extension = os.path.splitext(to_file)[1][1:] or "png"
    if not check_pydot():
        raise ImportError("You must install pydot (`pip install pydot`) for `plot_model` to work.")
    if extension not in _RAW_EXTENSIONS and not check_graphviz():
        raise ImportError("You must install graphviz (see instructions at "
                          "https://graphviz.gitlab.io/download/) for `plot_model` to work. "
                          f"(Writing '{to_file}' needs graphviz's `dot` program; a .dot file "
                          "needs only pydot.)")
    if kwargs.pop("layer_range", None) is not None:
        raise ValueError("Argument `layer_range` is no longer supported.")
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments: {kwargs}")
    dot = model_to_dot(model, show_shapes=show_shapes, show_dtype=show_dtype,
                       show_layer_names=show_layer_names, rankdir=rankdir,
                       expand_nested=expand_nested, dpi=dpi,
                       show_layer_activations=show_layer_activations,
                       show_trainable=show_trainable, splines=splines)
    dot.write(to_file, format="raw" if extension in _RAW_EXTENSIONS else extension)
    if extension != "pdf" and extension not in _RAW_EXTENSIONS:
        try:
            from IPython import display
            return display.Image(filename=to_file)
        except ImportError:
            pass
    return None
