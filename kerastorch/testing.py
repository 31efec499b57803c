"""Checking a port: `convert` a Keras 3 model into its kerastorch twin, and `assert_parity`
between the two, layer by layer.

    twin = kerastorch.testing.convert(keras_model)
    kerastorch.testing.assert_parity(keras_model, twin, x)   # AssertionError names the layer
"""

import inspect
import os

import numpy as np
import torch

from kerastorch.porting.errors import NotSupportedError

_LAYER_BASE_KWARGS = {"name", "trainable", "dtype", "input_shape", "batch_input_shape",
                      "batch_size", "input_dim", "weights", "autocast"}


# ------------------------------------------------------------------------ assert_parity
def assert_parity(keras_model, kt_model, inputs, atol=1e-5, rtol=1e-5, copy_weights=True):
    """Asserts that a Keras model and its kerastorch twin compute the same thing, layer by layer.

    Copies the weights Keras -> kerastorch (`get_weights`/`set_weights` for each pair of layers
    that have weights, matched in `model.layers` order), runs both models in inference mode on
    `inputs`, and compares every layer's output, then the model's output, with
    `|kt - keras| <= atol + rtol * |keras|`.

    Args:
        keras_model: a Keras 3 model (built, or buildable by calling it on `inputs`).
        kt_model: the kerastorch model with the same layers.
        inputs: a numpy array (or a list / dict of them) fed to both models.
        atol: absolute tolerance (float32: 1e-5).
        rtol: relative tolerance.
        copy_weights: set False to compare the weights the models already have.

    Returns:
        A dict `{layer name: max abs difference}` for the layers compared, plus `"<output>"`.

    Raises:
        AssertionError: naming the first layer whose output differs, and by how much.

    Example:
        >>> twin = convert(keras_model)
        >>> assert_parity(keras_model, twin, np.ones((2, 4), "float32"))
    """
    np_inputs = _map(inputs, lambda v: np.asarray(_to_numpy(v)))
    kt_inputs = _map(np_inputs, torch.from_numpy)
    if not keras_model.built:
        keras_model(np_inputs)
    if not kt_model.built:
        kt_model(kt_inputs)
    k_layers = [layer for layer in keras_model.layers if type(layer).__name__ != "InputLayer"]
    t_layers = [layer for layer in kt_model.layers if type(layer).__name__ != "InputLayer"]
    if copy_weights:
        copy_keras_weights(keras_model, kt_model)

    # Keras: an intermediate model with every layer's output; kerastorch: forward hooks.
    k_outs = _keras_layer_outputs(keras_model, k_layers, np_inputs)
    t_outs, handles = {}, []

    def record(module, args, out):  # the first call's output (Keras's `layer.output`)
        if id(module) not in t_outs:
            t_outs[id(module)] = out
        # returns None: a forward hook's return value would replace the output

    for layer in t_layers:
        handles.append(layer.register_forward_hook(record))
    was_training = kt_model.training
    kt_model.eval()
    try:
        with torch.no_grad():
            t_final = kt_model(kt_inputs)
    finally:
        for h in handles:
            h.remove()
        kt_model.train(was_training)
    k_final = keras_model(np_inputs, training=False)

    diffs = {}
    if k_outs is not None and len(k_layers) == len(t_layers):
        for i, (kl, tl) in enumerate(zip(k_layers, t_layers)):
            if id(tl) not in t_outs:
                continue
            where = (f"layer {i} {kl.name!r} ({type(kl).__name__})" if kl.name == tl.name else
                     f"layer {i}: Keras {kl.name!r} ({type(kl).__name__}) vs kerastorch "
                     f"{tl.name!r} ({type(tl).__name__})")
            diffs[tl.name] = _compare(k_outs[i], t_outs[id(tl)], atol, rtol, where)
    diffs["<output>"] = _compare(k_final, t_final, atol, rtol, "the model's output")
    return diffs


def copy_keras_weights(keras_model, kt_model):
    """Copies weights from the Keras model into the kerastorch one, layer by layer in order."""
    k_layers = [layer for layer in keras_model.layers if layer.weights]
    t_layers = [layer for layer in kt_model.layers if layer.weights]
    if len(k_layers) != len(t_layers):
        raise ValueError(
            f"Cannot match layers with weights: the Keras model has {len(k_layers)} "
            f"({[lay.name for lay in k_layers]}), the kerastorch model has {len(t_layers)} "
            f"({[lay.name for lay in t_layers]}).")
    for kl, tl in zip(k_layers, t_layers):
        weights = kl.get_weights()
        try:
            tl.set_weights(weights)
        except ValueError as err:
            raise ValueError(f"Copying the weights of Keras layer {kl.name!r} into kerastorch "
                             f"layer {tl.name!r} failed: {err}") from err


def _keras_layer_outputs(keras_model, k_layers, np_inputs):
    import keras
    try:
        outputs = [layer.output for layer in k_layers]
        inputs = keras_model.inputs
        probe = keras.Model(inputs=inputs[0] if len(inputs) == 1 else inputs, outputs=outputs)
    except (AttributeError, ValueError, TypeError):
        return None  # a subclassed model: only the final output can be compared
    return probe(np_inputs, training=False)


def _compare(expected, actual, atol, rtol, where):
    expected = [np.asarray(_to_numpy(v)) for v in _flatten(expected)]
    actual = [np.asarray(_to_numpy(v)) for v in _flatten(actual)]
    if len(expected) != len(actual):
        raise AssertionError(f"assert_parity: {where}: Keras returns {len(expected)} tensors, "
                             f"kerastorch {len(actual)}.")
    worst = 0.0
    for k, (e, a) in enumerate(zip(expected, actual)):
        tensor = f" (output {k})" if len(expected) > 1 else ""
        if e.shape != a.shape:
            raise AssertionError(f"assert_parity: {where}{tensor}: output shapes differ: Keras "
                                 f"{e.shape}, kerastorch {a.shape}.")
        if e.size == 0:
            continue
        e64, a64 = e.astype(np.float64), a.astype(np.float64)
        err = np.abs(a64 - e64)
        excess = err - (atol + rtol * np.abs(e64))
        nan_mismatch = np.isnan(e64) != np.isnan(a64)
        worst = max(worst, float(np.nanmax(err)) if not np.all(np.isnan(err)) else 0.0)
        if np.any(excess > 0) or np.any(nan_mismatch):
            flat = int(np.argmax(np.where(nan_mismatch, np.inf, np.nan_to_num(excess, nan=-1))))
            idx = np.unravel_index(flat, e.shape)
            raise AssertionError(
                f"assert_parity: {where}{tensor} differs: max abs diff {np.nanmax(err):.6g} "
                f"(atol={atol}, rtol={rtol}); first worst at index {tuple(int(i) for i in idx)}: "
                f"Keras {e[idx].item()!r}, kerastorch {a[idx].item()!r}; "
                f"{int(np.sum((excess > 0) | nan_mismatch))} of {e.size} values out of tolerance.")
    return worst


def _to_numpy(x):
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    if hasattr(x, "numpy") and not isinstance(x, np.ndarray):
        return x.numpy()
    return x


def _flatten(x):
    if isinstance(x, (list, tuple)):
        return [v for item in x for v in _flatten(item)]
    if isinstance(x, dict):
        return [v for key in sorted(x) for v in _flatten(x[key])]
    return [x]


def _map(x, fn):
    if isinstance(x, (list, tuple)):
        return type(x)(_map(v, fn) for v in x)
    if isinstance(x, dict):
        return {k: _map(v, fn) for k, v in x.items()}
    return fn(x)


# ------------------------------------------------------------------------ convert
def convert(keras_model):
    """Builds the kerastorch twin of a Keras 3 model from its config, and copies its weights.

    Sequential and functional models are supported, nested ones included; each layer is the
    `kerastorch.layers` class of the same name with the same config. A layer class or config
    option kerastorch lacks raises `NotSupportedError` naming it.

    Args:
        keras_model: a Keras 3 model, or the path of a `.keras` / `.h5` file Keras can load.

    Example:
        >>> twin = convert(keras_model)
        >>> twin.summary()
    """
    if isinstance(keras_model, (str, os.PathLike)):
        import keras
        keras_model = keras.models.load_model(keras_model, compile=False)
    twin = _convert_model(keras_model)
    copy_keras_weights_by_name(keras_model, twin)
    return twin


def copy_keras_weights_by_name(keras_model, kt_model):
    for kl in keras_model.layers:
        if type(kl).__name__ == "InputLayer" or not kl.weights:
            continue
        kt_model.get_layer(kl.name).set_weights(kl.get_weights())


def _convert_model(keras_model):
    import kerastorch
    config = keras_model.get_config()
    if type(keras_model).__name__ == "Sequential":
        model = kerastorch.Sequential(name=config["name"], trainable=config.get("trainable", True))
        for lay in config["layers"]:
            if lay["class_name"] == "InputLayer":
                c = lay["config"]
                model.add(kerastorch.Input(batch_shape=tuple(c["batch_shape"]),
                                           dtype=c.get("dtype"), name=c.get("name")))
            else:
                model.add(_convert_layer(keras_model.get_layer(lay["config"]["name"]), lay))
        build_shape = config.get("build_input_shape")
        if not model.built and build_shape is not None:
            model.build(tuple(build_shape))
        return model
    if "input_layers" not in config:
        raise NotSupportedError(f"convert() of a subclassed model ({type(keras_model).__name__})",
                                "only Sequential and functional models have a config to rebuild")
    return _convert_functional(keras_model, config)


def _convert_functional(keras_model, config):
    import kerastorch
    produced = {}      # layer name -> list of node outputs
    layers, pending = {}, []
    for lay in config["layers"]:
        name = lay["name"]
        if lay["class_name"] == "InputLayer":
            c = lay["config"]
            produced[name] = [kerastorch.Input(batch_shape=tuple(c["batch_shape"]),
                                               dtype=c.get("dtype"), name=name)]
            continue
        layers[name] = _convert_layer(keras_model.get_layer(name), lay)
        produced[name] = []
        pending.extend((name, node) for node in lay["inbound_nodes"])
    # Call the layers node by node, as soon as a node's inputs exist.
    while pending:
        progressed, remaining = False, []
        for name, node in pending:
            try:
                args = _fill(node["args"], produced)
                kwargs = _fill(node.get("kwargs", {}), produced)
            except KeyError:
                remaining.append((name, node))
                continue
            produced[name].append(layers[name](*args, **kwargs))
            progressed = True
        if not progressed:
            raise ValueError(f"convert(): cannot order the nodes of model {config['name']!r}: "
                             f"{[n for n, _ in remaining]}")
        pending = remaining

    def tensors(spec):
        if spec and isinstance(spec[0], str):
            return _history_tensor(spec, produced)
        return [tensors(s) for s in spec]

    inputs, outputs = tensors(config["input_layers"]), tensors(config["output_layers"])
    return kerastorch.Model(inputs=inputs, outputs=outputs, name=config["name"])


def _history_tensor(history, produced):
    name, node_index, tensor_index = history
    outs = produced[name]
    if node_index >= len(outs):
        raise KeyError(name)
    out = outs[node_index]
    return _flatten(out)[tensor_index] if isinstance(out, (list, tuple, dict)) else out


def _fill(value, produced):
    if isinstance(value, dict):
        if value.get("class_name") == "__keras_tensor__":
            return _history_tensor(value["config"]["keras_history"], produced)
        return {k: _fill(v, produced) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_fill(v, produced) for v in value)
    return value


def _convert_layer(keras_layer, layer_config):
    """The kerastorch layer for one entry of a Keras model config."""
    from kerastorch import layers as kt_layers
    class_name = layer_config["class_name"]
    if class_name in ("Sequential", "Functional") or hasattr(keras_layer, "layers") and \
            hasattr(keras_layer, "get_layer"):
        if keras_layer is None:
            raise NotSupportedError(f"convert() of a model nested in a layer's config "
                                    f"({class_name})")
        return _convert_model(keras_layer)
    if layer_config.get("module") not in (None, "keras.layers") or \
            layer_config.get("registered_name") not in (None, class_name):
        raise NotSupportedError(f"convert() of custom layer {class_name!r}",
                                "register a kerastorch layer and rebuild the model by hand")
    cls = getattr(kt_layers, class_name, None)
    if cls is None:
        raise NotSupportedError(f"keras.layers.{class_name}")
    keras_cls = type(keras_layer) if keras_layer is not None else _keras_class(class_name)
    kwargs = _clean_config(cls, dict(layer_config["config"]), class_name, keras_cls)
    return cls(**kwargs)


def _clean_config(cls, config, class_name, keras_cls):
    """Keras's config as kwargs for kerastorch's `cls`: an option kerastorch lacks is dropped
    when it is at Keras's default, and refused otherwise."""
    from kerastorch import initializers
    params = inspect.signature(keras_cls.__init__).parameters
    keras_defaults = {n: p.default for n, p in params.items() if p.default is not p.empty}
    dtype = config.get("dtype")
    if isinstance(dtype, dict):
        config["dtype"] = dtype.get("config", {}).get("name")
    accepted = _accepted_kwargs(cls)
    for key in list(config):
        value = config[key]
        if key not in accepted:
            if value in (None, False, [], {}, ()) or \
                    (key in keras_defaults and _same(keras_defaults[key], value)):
                del config[key]
                continue
            raise NotSupportedError(f"keras.layers.{class_name}({key}={value!r})",
                                    f"kerastorch's {class_name} has no `{key}` argument")
        if _is_layer_config(value):  # a wrapped layer (Bidirectional, TimeDistributed, ...)
            config[key] = _convert_layer(None, value)
        elif isinstance(value, dict) and key.endswith("_initializer"):
            config[key] = _initializer(initializers, value)
        elif isinstance(value, dict) and key.endswith(("_regularizer", "_constraint")):
            config[key] = _deserialize(key.rsplit("_", 1)[1], value, class_name, key)
    return config


def _is_layer_config(value):
    return isinstance(value, dict) and "class_name" in value and "config" in value and \
        str(value.get("module", "")).startswith("keras.layers")


def _keras_class(class_name):
    import keras
    return getattr(keras.layers, class_name, object)


def _same(default, value):
    try:
        return bool(default == value) or (isinstance(default, tuple) and list(default) == value)
    except Exception:
        return False


def _initializer(initializers, config):
    try:
        return initializers.get(config)
    except (TypeError, KeyError, ValueError):
        pass
    # Keras options kerastorch's initializer lacks, at their defaults (e.g. input_axes=None).
    inner = {k: v for k, v in config.get("config", {}).items() if v is not None}
    return initializers.get(dict(config, config=inner))


def _deserialize(kind, config, class_name, key):
    import importlib
    module = importlib.import_module(f"kerastorch.{kind}s")
    try:
        return module.get(config)
    except Exception as err:
        raise NotSupportedError(f"keras.layers.{class_name}({key}={config.get('class_name')!r})",
                                str(err)) from err


def _accepted_kwargs(cls):
    accepted, open_kwargs = set(), False
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        params = inspect.signature(init).parameters
        accepted |= {n for n, p in params.items() if p.kind in (p.POSITIONAL_OR_KEYWORD,
                                                                  p.KEYWORD_ONLY)}
        open_kwargs = any(p.kind is p.VAR_KEYWORD for p in params.values())
        if not open_kwargs:
            break
    accepted.discard("self")
    return accepted | _LAYER_BASE_KWARGS
