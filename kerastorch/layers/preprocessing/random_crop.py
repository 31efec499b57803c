"""RandomCrop: a random `(height, width)` window in training, the centred window in inference."""

import torch

from kerastorch import backend
from kerastorch.layers.preprocessing.base_image_augmentation import BaseImageAugmentationLayer
from kerastorch.layers.preprocessing.resizing import resize_images


class RandomCrop(BaseImageAugmentationLayer):
    """Crops images to `(height, width)` at a random place during training.

    In inference (and in training when an image is smaller than the target) the largest
    centred window of the target's aspect ratio is taken and resized to `(height, width)`,
    as Keras documents; the output is always `(height, width)`.

    Args:
        height: output height.
        width: output width.
        seed: integer seed.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Example:
        >>> layers.RandomCrop(24, 24)(images, training=True).shape   # (batch, 24, 24, c)
    """

    def __init__(self, height, width, seed=None, data_format=None, name=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, name=name, **kwargs)
        self.height = height
        self.width = width

    def call(self, inputs, training=None):
        if training is None:
            training = self.training
        x = inputs if torch.is_tensor(inputs) else backend.convert_to_tensor(inputs)
        batched = x.dim() == 4
        if not batched:
            x = x.unsqueeze(0)
        if not x.is_floating_point():
            x = x.to(backend.to_torch_dtype(self.compute_dtype))
        nchw = x.permute(0, 3, 1, 2) if self.data_format == "channels_last" else x
        h, w = nchw.shape[-2], nchw.shape[-1]
        if training and h > self.height and w > self.width:
            top = int(self._uniform((), 0, float(h - self.height + 1), nchw.device))
            left = int(self._uniform((), 0, float(w - self.width + 1), nchw.device))
            out = nchw[:, :, top:top + self.height, left:left + self.width]
        else:
            out = resize_images(nchw, (self.height, self.width), crop_to_aspect_ratio=True)
        if self.data_format == "channels_last":
            out = out.permute(0, 2, 3, 1)
        return out if batched else out[0]

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        h_axis, w_axis = (-3, -2) if self.data_format == "channels_last" else (-2, -1)
        shape[h_axis], shape[w_axis] = self.height, self.width
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config.update(height=self.height, width=self.width)
        return config
