"""ImageNet helpers shared by the applications: input-shape checks, preprocessing, decoding."""

import numpy as np
import torch


def obtain_input_shape(input_shape, default_size, min_size, require_flatten, weights=None):
    """Keras's check of an application's channels-last input shape."""
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        default_shape = (default_size, default_size, input_shape[-1])
    else:
        default_shape = (default_size, default_size, 3)
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and tuple(input_shape) != default_shape:
            raise ValueError("When setting `include_top=True` and loading `imagenet` weights, "
                             f"`input_shape` should be {default_shape}.  Received: "
                             f"input_shape={input_shape}")
        return default_shape
    if input_shape:
        input_shape = tuple(input_shape)
        if len(input_shape) != 3:
            raise ValueError("`input_shape` must be a tuple of three integers.")
        if input_shape[-1] != 3 and weights == "imagenet":
            raise ValueError(f"The input must have 3 channels; Received `input_shape={input_shape}`")
        if any(d is not None and d < min_size for d in input_shape[:2]):
            raise ValueError(f"Input size must be at least {min_size}x{min_size}; Received: "
                             f"input_shape={input_shape}")
    else:
        input_shape = default_shape if require_flatten else (None, None, 3)
    if require_flatten and None in input_shape:
        raise ValueError("If `include_top` is True, you should specify a static `input_shape`. "
                         f"Received: input_shape={input_shape}")
    return input_shape


_CAFFE_MEAN = (103.939, 116.779, 123.68)  # BGR


def preprocess_input(x, mode="tf"):
    """Pixels in [0, 255] (channels last) as the model was trained on them: mode 'tf' maps them
    to [-1, 1]; mode 'caffe' turns RGB into BGR and subtracts the ImageNet mean."""
    if mode not in ("tf", "caffe"):
        raise ValueError(f"Unsupported preprocessing mode: {mode!r}")
    if isinstance(x, torch.Tensor):
        x = x if x.is_floating_point() else x.float()
        if mode == "tf":
            return x / 127.5 - 1.0
        return x.flip(-1) - torch.tensor(_CAFFE_MEAN, dtype=x.dtype, device=x.device)
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype("float32")
    if mode == "tf":
        return x / 127.5 - 1.0
    return x[..., ::-1] - np.asarray(_CAFFE_MEAN, dtype=x.dtype)


def decode_predictions(preds, top=5):
    """The `top` ImageNet classes of each prediction: (class_id, class_name, score) tuples.

    Class ids and names come from the ImageNet tables that timm ships (the first WordNet lemma,
    spaces as underscores, as in Keras's class index), so nothing is downloaded.
    """
    from timm.data import ImageNetInfo
    if isinstance(preds, torch.Tensor):
        preds = preds.detach().cpu().numpy()
    preds = np.asarray(preds)
    if preds.ndim != 2 or preds.shape[1] != 1000:
        raise ValueError("`decode_predictions` expects a batch of predictions (i.e. a 2D array "
                         f"of shape (samples, 1000)). Received array with shape: {preds.shape}")
    info = ImageNetInfo()
    results = []
    for row in preds:
        best = row.argsort()[-top:][::-1]
        results.append([(info.index_to_label_name(int(i)),
                         info.index_to_description(int(i)).split(",")[0].strip().replace(" ", "_"),
                         float(row[i])) for i in best])
    return results
