"""Seeded random cases of the sequence-family layers, run by real tf.keras 2.21 (the oracle).

Run under the TensorFlow venv (imports only tensorflow/tf_keras/numpy/pickle; TensorFlow only
when run as a script, so that the torch-side test can import the case counts):

    python tf_layer_cases_seq.py OUT.pkl [--family F]

Families: rnn, attention, normalization, embedding, noise, preprocessing. Every case is drawn
from `numpy.random.RandomState(seed)` with a seed fixed by its family and index, so the list of
cases is the same on every run. Each case is a dict

    {"id", "family", "class_name", "kwargs", "call", "call_kwargs", "inputs", "weights",
     "output", "mask", "weights_after", "check", "error"}

`kwargs` are JSON-able constructor arguments; a wrapped layer or cell is written as
{"__layer__": class_name, "kwargs": {...}}. `call` says how the inputs are passed: "single"
(`layer(inputs[0])`), "list" (`layer(inputs)`), "args" (`layer(*inputs)`) or "stateful"
(`reset_states()`, then `layer(inputs[0])` and `layer(inputs[1])`: both outputs). `call_kwargs` hold
numpy arrays (masks, initial states); `query_mask`/`value_mask`/`key_mask` are Keras 3's
arguments, given to tf.keras as the `_keras_mask` of those inputs. `weights` are the layer's
weights (drawn at random, so biases are not zero) and `weights_after` its weights after the call
(BatchNormalization's moving statistics in training). `check` is "exact" (compare outputs) or
"stats" (random layers in training: compare shapes and statistics). `error` is the name of the
exception tf.keras raised, else None.
"""

import pickle
import sys

import numpy as np

FAMILIES = {"rnn": 110, "attention": 60, "normalization": 70, "embedding": 24, "noise": 36,
            "preprocessing": 90}
_FAMILY_SEED = {name: 1000 * (i + 1) for i, name in enumerate(FAMILIES)}

ACTIVATIONS = ["tanh", "relu", "sigmoid", "linear", "elu", "softsign", "softplus", "selu",
               "swish", "gelu", "exponential", "hard_sigmoid", "relu6", "softmax", "log_softmax"]
RECURRENT_ACTIVATIONS = ["sigmoid", "hard_sigmoid", "tanh", "softsign", "relu", "linear"]


def layer_spec(class_name, **kwargs):
    return {"__layer__": class_name, "kwargs": kwargs}


def choice(rs, options):
    return options[rs.randint(len(options))]


def normal(rs, *shape, scale=1.0):
    return (rs.standard_normal(shape) * scale).astype("float32")


def random_mask(rs, batch, steps, kind=None):
    kind = kind or choice(rs, ["right", "random"])
    if kind == "right":
        lengths = rs.randint(1, steps + 1, size=batch)
        if batch > 1:
            lengths[0] = steps
        return np.arange(steps)[None, :] < lengths[:, None]
    mask = rs.rand(batch, steps) < 0.7
    return mask


def case(class_name, kwargs, inputs, call="single", call_kwargs=None, check="exact"):
    return {"class_name": class_name, "kwargs": kwargs, "inputs": list(inputs), "call": call,
            "call_kwargs": dict(call_kwargs or {}), "check": check}


# ---------------------------------------------------------------------------- rnn
def _rnn_kwargs(rs, class_name, units):
    kw = {"units": units}
    if rs.rand() < 0.35:
        kw["activation"] = choice(rs, ACTIVATIONS[:11])
    if class_name != "SimpleRNN" and rs.rand() < 0.35:
        kw["recurrent_activation"] = choice(rs, RECURRENT_ACTIVATIONS)
    if rs.rand() < 0.3:
        kw["use_bias"] = False
    if class_name == "GRU" and rs.rand() < 0.4:
        kw["reset_after"] = False
    if rs.rand() < 0.2:
        kw["dropout"] = 0.3
    if rs.rand() < 0.2:
        kw["recurrent_dropout"] = 0.2
    return kw


def _cell_spec(rs, units):
    name = choice(rs, ["SimpleRNNCell", "LSTMCell", "GRUCell"])
    kw = {"units": units}
    if rs.rand() < 0.3:
        kw["activation"] = choice(rs, ACTIVATIONS[:8])
    if name != "SimpleRNNCell" and rs.rand() < 0.3:
        kw["recurrent_activation"] = choice(rs, RECURRENT_ACTIVATIONS)
    if rs.rand() < 0.25:
        kw["use_bias"] = False
    if name == "GRUCell" and rs.rand() < 0.4:
        kw["reset_after"] = False
    return layer_spec(name, **kw), name


def _state_shapes(cell_name, units):
    return [units, units] if cell_name.startswith("LSTM") else [units]


def gen_rnn(rs, index):
    batch, steps, features = rs.randint(1, 4), rs.randint(1, 7), rs.randint(1, 5)
    x = normal(rs, batch, steps, features)
    if index == 0:  # a 2D input: both libraries raise
        return case("LSTM", {"units": 3}, [normal(rs, 2, 4)])
    if index == 1:
        return case("Bidirectional", {"layer": layer_spec("GRU", units=2),
                                      "merge_mode": "bogus"}, [x])
    kind = choice(rs, ["SimpleRNN", "LSTM", "GRU", "SimpleRNN", "LSTM", "GRU", "Bidirectional",
                       "Bidirectional", "TimeDistributed", "RNN", "RNN"])
    units = rs.randint(1, 5)
    call_kwargs = {"training": False}
    if rs.rand() < 0.4:
        call_kwargs["mask"] = random_mask(rs, batch, steps)
    if kind in ("SimpleRNN", "LSTM", "GRU"):
        kw = _rnn_kwargs(rs, kind, units)
        for flag in ("return_sequences", "return_state", "go_backwards", "unroll"):
            if rs.rand() < 0.4:
                kw[flag] = True
        if rs.rand() < 0.25:  # two calls in a row: the second starts from the first's states
            kw["stateful"] = True
            kw["batch_input_shape"] = [int(batch), int(steps), int(features)]
            return case(kind, kw, [x, normal(rs, batch, steps, features)], call="stateful",
                        call_kwargs=call_kwargs)
        if rs.rand() < 0.25:
            call_kwargs["initial_state"] = [normal(rs, batch, units)
                                            for _ in _state_shapes(kind, units)]
        return case(kind, kw, [x], call_kwargs=call_kwargs)
    if kind == "Bidirectional":
        inner = choice(rs, ["SimpleRNN", "LSTM", "GRU"])
        ikw = _rnn_kwargs(rs, inner, units)
        for flag in ("return_sequences", "return_state"):
            if rs.rand() < 0.4:
                ikw[flag] = True
        stateful = rs.rand() < 0.15
        if stateful:
            ikw["stateful"] = True
        kw = {"layer": layer_spec(inner, **ikw),
              "merge_mode": choice(rs, ["concat", "sum", "mul", "ave", None])}
        if rs.rand() < 0.3:
            bkw = _rnn_kwargs(rs, inner, units)
            for flag in ("return_sequences", "return_state"):
                bkw[flag] = ikw.get(flag, False)
            bkw["go_backwards"] = True
            if stateful:
                bkw["stateful"] = True
            kw["backward_layer"] = layer_spec(inner, **bkw)
        if stateful:  # tf.keras needs the batch size of a stateful layer
            kw["batch_input_shape"] = [int(batch), int(steps), int(features)]
            return case(kind, kw, [x, normal(rs, batch, steps, features)], call="stateful",
                        call_kwargs=call_kwargs)
        return case(kind, kw, [x], call_kwargs=call_kwargs)
    if kind == "TimeDistributed":
        call_kwargs.pop("mask", None)
        inner = choice(rs, ["Dense", "Dense", "Conv1D", "Flatten", "LayerNormalization"])
        if inner == "Dense":
            spec = layer_spec("Dense", units=units, activation=choice(rs, ACTIVATIONS))
        elif inner == "Conv1D":
            spec = layer_spec("Conv1D", filters=units, kernel_size=int(rs.randint(1, 3)),
                              padding=choice(rs, ["valid", "same"]),
                              activation=choice(rs, ACTIVATIONS))
            x = normal(rs, batch, steps, 3, features)
        elif inner == "Flatten":
            spec = layer_spec("Flatten")
            x = normal(rs, batch, steps, 2, features)
        else:
            spec = layer_spec("LayerNormalization", epsilon=1e-3)
        return case(kind, {"layer": spec}, [x], call_kwargs=call_kwargs)
    # RNN(cell), or RNN(StackedRNNCells([...]))
    if rs.rand() < 0.35:
        cells, names = [], []
        for _ in range(rs.randint(2, 4)):
            spec, name = _cell_spec(rs, rs.randint(1, 4))
            cells.append(spec)
            names.append(name)
        cell = layer_spec("StackedRNNCells", cells=cells)
    else:
        cell, name = _cell_spec(rs, units)
        names = None
    kw = {"cell": cell}
    for flag in ("return_sequences", "return_state", "go_backwards", "unroll"):
        if rs.rand() < 0.4:
            kw[flag] = True
    if names is None and rs.rand() < 0.3:
        call_kwargs["initial_state"] = [normal(rs, batch, u) for u in _state_shapes(name, units)]
    return case("RNN", kw, [x], call_kwargs=call_kwargs)


# ---------------------------------------------------------------------------- attention
def gen_attention(rs, index):
    batch = rs.randint(1, 3)
    tq, tv = rs.randint(1, 5), rs.randint(1, 5)
    if index == 0:  # Attention given one tensor instead of [query, value]
        return case("Attention", {}, [normal(rs, 2, 3, 4)], call="single")
    kind = choice(rs, ["MultiHeadAttention", "MultiHeadAttention", "MultiHeadAttention",
                       "Attention", "Attention", "AdditiveAttention"])
    if kind == "MultiHeadAttention":
        kw = {"num_heads": int(rs.randint(1, 4)), "key_dim": int(rs.randint(1, 5))}
        if rs.rand() < 0.4:
            kw["value_dim"] = int(rs.randint(1, 5))
        if rs.rand() < 0.3:
            kw["use_bias"] = False
        if rs.rand() < 0.3:
            kw["output_shape"] = int(rs.randint(1, 5)) if rs.rand() < 0.6 else \
                [int(rs.randint(1, 4)), int(rs.randint(1, 4))]
        if rs.rand() < 0.2:
            kw["dropout"] = 0.3
        dq, dv = rs.randint(1, 6), rs.randint(1, 6)
        four_d = rs.rand() < 0.3
        if four_d:
            s = rs.randint(1, 4)
            query = normal(rs, batch, s, tq, dq)
            value = normal(rs, batch, s, tv, dv)
            kw["attention_axes"] = choice(rs, [[2], [1, 2], [1]])
            if kw["attention_axes"] == [1]:
                value = normal(rs, batch, tv, tq, dv)
        else:
            query = normal(rs, batch, tq, dq)
            value = normal(rs, batch, tv, dv)
            if rs.rand() < 0.15:
                kw["attention_axes"] = [1]
        inputs = [query, value]
        if rs.rand() < 0.4:
            inputs.append(normal(rs, *value.shape[:-1], rs.randint(1, 6)))
        call_kwargs = {"training": False}
        if rs.rand() < 0.2:
            call_kwargs["return_attention_scores"] = True
        if not four_d:
            r = rs.rand()
            if r < 0.25:
                call_kwargs["attention_mask"] = rs.rand(batch, tq, tv) < 0.7
            elif r < 0.45:
                call_kwargs["query_mask"] = random_mask(rs, batch, tq)
                call_kwargs["value_mask"] = random_mask(rs, batch, tv)
            if rs.rand() < 0.2 and tq == tv:
                call_kwargs["use_causal_mask"] = True
        return case(kind, kw, inputs, call="args", call_kwargs=call_kwargs)
    dim = rs.randint(1, 5)
    kw = {}
    if kind == "Attention":
        if rs.rand() < 0.5:
            kw["use_scale"] = True
        if rs.rand() < 0.5:
            kw["score_mode"] = "concat"
    elif rs.rand() < 0.4:
        kw["use_scale"] = False
    if rs.rand() < 0.15:
        kw["dropout"] = 0.4
    inputs = [normal(rs, batch, tq, dim), normal(rs, batch, tv, dim)]
    if rs.rand() < 0.4:  # a key: the value may then have another width
        inputs = [inputs[0], normal(rs, batch, tv, rs.randint(1, 5)), inputs[1]]
    call_kwargs = {"training": False}
    r = rs.rand()
    if r < 0.25:
        call_kwargs["mask"] = [None, random_mask(rs, batch, tv)]
    elif r < 0.5:
        call_kwargs["mask"] = [random_mask(rs, batch, tq), random_mask(rs, batch, tv)]
    if rs.rand() < 0.3:
        call_kwargs["return_attention_scores"] = True
    if rs.rand() < 0.2:
        call_kwargs["use_causal_mask"] = True
    return case(kind, kw, inputs, call="list", call_kwargs=call_kwargs)


# ---------------------------------------------------------------------------- normalization
def _random_axes(rs, ndim):
    axes = sorted(int(a) for a in rs.choice(np.arange(1, ndim), rs.randint(1, ndim), False))
    # written as positive, negative, or (a single one) an int
    if rs.rand() < 0.3:
        axes = [a - ndim for a in axes]
    if len(axes) == 1 and rs.rand() < 0.5:
        return axes[0]
    return axes


def gen_normalization(rs, index):
    ndim = rs.randint(2, 5)
    shape = [rs.randint(2, 5)] + [rs.randint(1, 5) for _ in range(ndim - 1)]
    x = normal(rs, *shape, scale=2.0) + 0.5
    if index == 0:
        return case("BatchNormalization", {"axis": 5}, [normal(rs, 2, 3)])
    if index == 1:
        return case("GroupNormalization", {"groups": 3}, [normal(rs, 2, 4)])
    if index == 2:
        return case("LayerNormalization", {"axis": [1, 4]}, [normal(rs, 2, 3, 4)])
    kind = choice(rs, ["BatchNormalization", "BatchNormalization", "BatchNormalization",
                       "LayerNormalization", "LayerNormalization", "GroupNormalization",
                       "UnitNormalization", "Normalization"])
    call_kwargs = {}
    if kind == "BatchNormalization":
        kw = {"axis": _random_axes(rs, ndim)}
        if rs.rand() < 0.5:
            kw["momentum"] = float(choice(rs, [0.9, 0.5, 0.0, 0.999]))
        if rs.rand() < 0.5:
            kw["epsilon"] = float(choice(rs, [1e-5, 0.1, 1e-3]))
        if rs.rand() < 0.3:
            kw["center"] = False
        if rs.rand() < 0.3:
            kw["scale"] = False
        call_kwargs["training"] = bool(rs.rand() < 0.5)
        return case(kind, kw, [x], call_kwargs=call_kwargs)
    if kind == "LayerNormalization":
        kw = {"axis": _random_axes(rs, ndim) if rs.rand() < 0.7 else -1}
        if rs.rand() < 0.5:
            kw["epsilon"] = float(choice(rs, [1e-5, 0.1, 1e-3]))
        if rs.rand() < 0.3:
            kw["center"] = False
        if rs.rand() < 0.3:
            kw["scale"] = False
        return case(kind, kw, [x])
    if kind == "GroupNormalization":
        channels = int(choice(rs, [2, 4, 6]))
        axis = choice(rs, [-1, 1]) if ndim > 2 else -1
        shape[axis] = channels
        x = normal(rs, *shape, scale=2.0) + 0.5
        kw = {"groups": int(choice(rs, [g for g in (1, 2, 3, 6, -1) if g == -1
                                        or channels % g == 0])), "axis": int(axis)}
        if rs.rand() < 0.5:
            kw["epsilon"] = float(choice(rs, [1e-5, 0.1]))
        if rs.rand() < 0.3:
            kw["center"] = False
        if rs.rand() < 0.3:
            kw["scale"] = False
        return case(kind, kw, [x])
    if kind == "UnitNormalization":
        return case(kind, {"axis": _random_axes(rs, ndim) if rs.rand() < 0.7 else -1}, [x])
    axis = choice(rs, [-1, None, [1]] + ([[1, 2]] if ndim > 2 else []))
    axes = [] if axis is None else ([axis] if isinstance(axis, int) else axis)
    stat_shape = [shape[a] for a in axes]
    kw = {"axis": axis}
    if rs.rand() < 0.3:  # scalars broadcast over the axes
        kw["mean"], kw["variance"] = float(rs.randn()), float(rs.rand() + 0.1)
    else:
        kw["mean"] = np.asarray(rs.randn(*stat_shape)).tolist()
        kw["variance"] = (np.asarray(rs.rand(*stat_shape)) + 0.1).tolist()
    if rs.rand() < 0.3:
        kw["invert"] = True
    return case("Normalization", kw, [x])


# ---------------------------------------------------------------------------- embedding, masking
def gen_embedding(rs, index):
    batch, steps = rs.randint(1, 4), rs.randint(1, 6)
    if index == 0:  # Masking of an int32 input works; Embedding of floats is cast to ints
        pass
    if rs.rand() < 0.65:
        vocab, dim = rs.randint(2, 12), rs.randint(1, 5)
        kw = {"input_dim": int(vocab), "output_dim": int(dim)}
        if rs.rand() < 0.5:
            kw["mask_zero"] = True
        if rs.rand() < 0.3:
            kw["input_length"] = int(steps)
        ids = rs.randint(0, vocab, size=(batch, steps)).astype(choice(rs, ["int32", "int64"]))
        if rs.rand() < 0.2:
            ids = ids[:, :, None] if rs.rand() < 0.5 else ids[:, 0]
        return case("Embedding", kw, [ids])
    mask_value = float(choice(rs, [0.0, 1.0, -2.5]))
    x = normal(rs, batch, steps, rs.randint(1, 4))
    drop = rs.rand(batch, steps) < 0.4
    x[drop] = mask_value
    return case("Masking", {"mask_value": mask_value}, [x])


# ---------------------------------------------------------------------------- noise in inference
def gen_noise(rs, index):
    kind = choice(rs, ["Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
                       "GaussianNoise", "GaussianDropout", "AlphaDropout"])
    training = bool(rs.rand() < 0.45)
    rate = float(choice(rs, [0.1, 0.3, 0.5]))
    ndim = {"SpatialDropout1D": 3, "SpatialDropout2D": 4, "SpatialDropout3D": 5}.get(
        kind, rs.randint(2, 5))
    if training:  # enough numbers to compare statistics
        shape = {2: (400, 20), 3: (20, 20, 16), 4: (8, 10, 10, 8), 5: (4, 8, 8, 6, 6)}[ndim]
    else:
        shape = tuple(rs.randint(1, 5, size=ndim))
    x = normal(rs, *shape) + 1.0
    if kind == "GaussianNoise":
        kw = {"stddev": float(choice(rs, [0.1, 0.5, 1.0]))}
    else:
        kw = {"rate": rate}
    if kind in ("SpatialDropout2D", "SpatialDropout3D") and rs.rand() < 0.4:
        kw["data_format"] = "channels_first"
    if kind == "Dropout" and rs.rand() < 0.3:
        kw["noise_shape"] = [None] + [1] * (ndim - 2) + [shape[-1]]
    return case(kind, kw, [x], call_kwargs={"training": training},
                check="stats" if training else "exact")


# ---------------------------------------------------------------------------- preprocessing
WORDS = ["the", "cat", "sat", "on", "mat", "a", "dog", "ran", "far", "away"]
TEXTS = ["The cat sat on the mat.", "A dog ran far, far away!", "the THE tHe", "",
         "cat  dog", "Mat? mat; MAT.", "unknown words here", "sat on a dog"]


def gen_preprocessing(rs, index):
    kind = choice(rs, ["Rescaling", "Resizing", "Resizing", "Resizing", "CenterCrop",
                       "CategoryEncoding", "Discretization", "Hashing", "IntegerLookup",
                       "StringLookup", "TextVectorization"])
    if index == 0:
        return case("Resizing", {"height": 3, "width": 3, "interpolation": "bogus"},
                    [normal(rs, 1, 4, 4, 1)])
    if index == 1:
        return case("CategoryEncoding", {"num_tokens": 3, "output_mode": "one_hot"},
                    [np.array([0, 5], "int32")])
    if index == 2:  # several OOV indices: unknown tokens hashed (FarmHash64) / int modulo
        return case("StringLookup", {"vocabulary": ["far", "on"], "num_oov_indices": 3},
                    [np.array([["a", "b", "cat", "far"], ["zz", "on", "", "dog"]])])
    if index == 3:
        return case("IntegerLookup", {"vocabulary": [5, 7], "num_oov_indices": 3},
                    [np.array([-4, -1, 0, 5, 8, 13], "int64")])
    if kind == "Rescaling":
        kw = {"scale": float(choice(rs, [1 / 255, 2.0, -0.5])),
              "offset": float(choice(rs, [0.0, -1.0, 0.25]))}
        x = rs.randint(0, 256, size=(2, 3, 3, 2)).astype(choice(rs, ["float32", "int32",
                                                                     "uint8"]))
        return case(kind, kw, [x])
    if kind in ("Resizing", "CenterCrop"):
        batch, h, w, c = rs.randint(1, 3), rs.randint(2, 9), rs.randint(2, 9), rs.randint(1, 4)
        x = normal(rs, batch, h, w, c) if rs.rand() < 0.8 else \
            rs.randint(0, 256, size=(batch, h, w, c)).astype("float32")
        if rs.rand() < 0.2:
            x = x[0]  # an unbatched image
        kw = {"height": int(rs.randint(1, 10)), "width": int(rs.randint(1, 10))}
        if kind == "Resizing":
            kw["interpolation"] = choice(rs, ["bilinear", "nearest", "bicubic", "area",
                                              "lanczos3", "lanczos5", "gaussian",
                                              "mitchellcubic"])
            if rs.rand() < 0.35:
                kw["crop_to_aspect_ratio"] = True
        return case(kind, kw, [x])
    if kind == "CategoryEncoding":
        tokens = rs.randint(1, 8)
        mode = choice(rs, ["one_hot", "multi_hot", "count"])
        shape = choice(rs, [(4,), (3, 2), (2, 1)])
        if mode == "one_hot" and len(shape) == 2:
            # (tf.keras 2 refuses one_hot outputs of rank 3; kerastorch gives them, as Keras 3)
            shape = (3, 1)
        x = rs.randint(0, tokens, size=shape).astype(choice(rs, ["int32", "int64"]))
        call_kwargs = {}
        if mode == "count" and rs.rand() < 0.4:
            call_kwargs["count_weights"] = rs.rand(*shape).astype("float32")
        return case(kind, {"num_tokens": int(tokens), "output_mode": mode}, [x],
                    call_kwargs=call_kwargs)
    if kind == "Discretization":
        bounds = sorted(set(np.round(rs.randn(rs.randint(1, 5)), 2).tolist()))
        mode = choice(rs, ["int", "int", "one_hot", "multi_hot", "count"])
        shape = (5,) if mode == "one_hot" else choice(rs, [(5,), (2, 3)])
        x = np.round(rs.randn(*shape), 2).astype("float32")
        x[0] = bounds[0]  # a value on a boundary
        return case(kind, {"bin_boundaries": bounds, "output_mode": mode}, [x])
    if kind == "Hashing":
        kw = {"num_bins": int(rs.randint(1, 9))}
        if rs.rand() < 0.3:
            kw["salt"] = int(rs.randint(0, 1000)) if rs.rand() < 0.5 else \
                [int(rs.randint(0, 1000)), int(rs.randint(0, 1000))]
        strings = rs.rand() < 0.6
        if rs.rand() < 0.3:
            kw["mask_value"] = "cat" if strings else 3
            kw["num_bins"] = max(kw["num_bins"], 2)
        if rs.rand() < 0.25:
            kw["output_mode"] = choice(rs, ["one_hot", "multi_hot", "count"])
        shape = (6,) if kw.get("output_mode") == "one_hot" else choice(rs, [(6,), (2, 3)])
        if strings:
            x = np.array([choice(rs, WORDS + [""]) for _ in range(int(np.prod(shape)))])
        else:
            x = rs.randint(-5, 20, size=int(np.prod(shape))).astype(
                choice(rs, ["int32", "int64"]))
        return case(kind, kw, [x.reshape(shape)])
    if kind in ("IntegerLookup", "StringLookup"):
        strings = kind == "StringLookup"
        size = rs.randint(1, 6)
        if strings:
            vocab = [str(w) for w in rs.choice(WORDS[1:], size, replace=False)]
            pool = WORDS + ["zebra"]
        else:
            vocab = [int(v) for v in rs.choice(np.arange(1, 30), size, replace=False)]
            pool = vocab + [0, 31, 99, -1]
        kw = {"vocabulary": vocab}
        if rs.rand() < 0.4:
            kw["num_oov_indices"] = int(rs.randint(0, 3))
        if rs.rand() < 0.3:
            kw["mask_token"] = "" if strings else 0
            pool = pool + [kw["mask_token"]]
        mode = choice(rs, ["int", "int", "int", "one_hot", "multi_hot", "count", "tf_idf"])
        if rs.rand() < 0.25:
            kw["invert"] = True
            mode = "int"
        kw["output_mode"] = mode
        if mode == "tf_idf":
            kw["idf_weights"] = np.round(rs.rand(size) + 0.5, 3).tolist()
        if mode in ("multi_hot", "count", "tf_idf") and rs.rand() < 0.3:
            kw["pad_to_max_tokens"] = True
            kw["max_tokens"] = size + kw.get("num_oov_indices", 1) + 3
        shape = (6,) if mode == "one_hot" else choice(rs, [(6,), (2, 3)])
        if kw.get("num_oov_indices", 1) == 0:  # unknown tokens raise in both: keep known ones
            pool = list(vocab) + ([kw["mask_token"]] if "mask_token" in kw else [])
        if kw.get("invert"):
            top = len(vocab) + kw.get("num_oov_indices", 1) + ("mask_token" in kw)
            x = rs.randint(0, top, size=shape).astype("int64")
        elif strings:
            x = np.array([choice(rs, pool) for _ in range(int(np.prod(shape)))]).reshape(shape)
        else:
            x = np.array([choice(rs, pool) for _ in range(int(np.prod(shape)))],
                         "int64").reshape(shape)
        return case(kind, kw, [x])
    # TextVectorization with a given vocabulary
    vocab = [str(w) for w in rs.choice(WORDS, rs.randint(2, 8), replace=False)]
    kw = {"vocabulary": vocab,
          "standardize": choice(rs, ["lower_and_strip_punctuation", "lower",
                                     "strip_punctuation", None]),
          "split": choice(rs, ["whitespace", "whitespace", "character"])}
    if kw["split"] == "character":
        kw["vocabulary"] = sorted(set("".join(vocab)))
    mode = choice(rs, ["int", "int", "multi_hot", "count"])
    kw["output_mode"] = mode
    if rs.rand() < 0.3:
        kw["ngrams"] = 2
        if kw["split"] == "whitespace":
            kw["vocabulary"] = vocab + [f"{vocab[0]} {vocab[1]}"]
    if mode == "int" and rs.rand() < 0.7:
        kw["output_sequence_length"] = int(rs.randint(1, 8))
    if mode != "int" and rs.rand() < 0.3:
        kw["pad_to_max_tokens"] = True
        kw["max_tokens"] = len(kw["vocabulary"]) + 4
    texts = [choice(rs, TEXTS) for _ in range(rs.randint(1, 4))]
    x = np.array(texts)
    if rs.rand() < 0.3:
        x = x[:, None]
    return case("TextVectorization", kw, [x])


GENERATORS = {"rnn": gen_rnn, "attention": gen_attention, "normalization": gen_normalization,
              "embedding": gen_embedding, "noise": gen_noise, "preprocessing": gen_preprocessing}


def cases(family):
    out = []
    for index in range(FAMILIES[family]):
        rs = np.random.RandomState(_FAMILY_SEED[family] + index)
        spec = GENERATORS[family](rs, index)
        spec["id"] = f"{family}-{index:03d}"
        spec["family"] = family
        spec["seed"] = _FAMILY_SEED[family] + index
        out.append(spec)
    return out


# ---------------------------------------------------------------------------- running in tf.keras
def build(spec):
    if isinstance(spec, dict) and "__layer__" in spec:
        kwargs = {k: build(v) for k, v in spec["kwargs"].items()}
        return getattr(tf_keras.layers, spec["__layer__"])(**kwargs)
    if isinstance(spec, list):
        return [build(v) for v in spec]
    return spec


def to_tf(value):
    if isinstance(value, np.ndarray):
        return tf.constant(value)
    if isinstance(value, list):
        return [to_tf(v) for v in value]
    return value


def to_numpy(value):
    if isinstance(value, (list, tuple)):
        return [to_numpy(v) for v in value]
    if value is None:
        return None
    arr = np.asarray(value)
    if arr.dtype == object:
        arr = np.vectorize(lambda b: b.decode("utf-8") if isinstance(b, bytes) else b)(arr)
        arr = arr.astype(str)
    return arr


def random_weights(rs, layer):
    out = []
    for w in layer.weights:
        shape = tuple(w.shape)
        if not w.dtype.is_floating:
            out.append(np.asarray(w))
            continue
        value = normal(rs, *shape, scale=0.5)
        if "variance" in w.name:
            value = np.abs(value) + 0.5
        out.append(value.astype(w.dtype.as_numpy_dtype))
    return out


def run_case(spec):
    rs = np.random.RandomState(spec["seed"] + 7)
    result = dict(spec, weights=[], output=None, mask=None, weights_after=None, error=None)
    try:
        layer = build({"__layer__": spec["class_name"], "kwargs": spec["kwargs"]})

        def call():
            inputs = [tf.constant(x) for x in spec["inputs"]]
            kwargs = {}
            for key, value in spec["call_kwargs"].items():
                if key in ("query_mask", "value_mask", "key_mask"):
                    target = {"query_mask": 0, "value_mask": 1, "key_mask": 2}[key]
                    inputs[target]._keras_mask = tf.constant(value)
                else:
                    kwargs[key] = to_tf(value)
            if spec["call"] == "stateful":  # from zeros, then from the first call's states
                if layer.built:
                    layer.reset_states()
                return [layer(inputs[0], **kwargs), layer(inputs[1], **kwargs)], inputs, kwargs
            if spec["call"] == "single":
                return layer(inputs[0], **kwargs), inputs, kwargs
            if spec["call"] == "list":
                return layer(inputs, **kwargs), inputs, kwargs
            return layer(*inputs, **kwargs), inputs, kwargs

        call()  # builds the layer
        if layer.weights and spec["family"] != "preprocessing":  # lookups keep given weights
            weights = random_weights(rs, layer)
            layer.set_weights(weights)
            result["weights"] = [np.asarray(w) for w in layer.get_weights()]
        output, inputs, kwargs = call()
        result["output"] = to_numpy(output)
        if spec["class_name"] in ("Embedding", "Masking"):
            result["mask"] = to_numpy(layer.compute_mask(inputs[0]))
        if spec["class_name"] == "BatchNormalization":
            result["weights_after"] = [np.asarray(w) for w in layer.get_weights()]
    except Exception as e:  # noqa: BLE001 - the oracle records which error tf.keras raised
        result["error"] = type(e).__name__
        result["error_message"] = str(e)[:300]
    return result


def main(argv):
    out = argv[1]
    families = list(FAMILIES)
    if "--family" in argv:
        families = [argv[argv.index("--family") + 1]]
    tf.random.set_seed(0)
    results = [run_case(spec) for family in families for spec in cases(family)]
    with open(out, "wb") as f:
        pickle.dump(results, f, protocol=4)
    print(len(results), sum(r["error"] is not None for r in results))


if __name__ == "__main__":
    # TensorFlow only when run as the oracle: the torch-side test imports this module for the
    # list of families and case counts.
    import tensorflow as tf
    import tf_keras

    main(sys.argv)
