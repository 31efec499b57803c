"""CenterCrop layer."""

from kerastorch.layers.preprocessing.resizing import Resizing


class CenterCrop(Resizing):
    """Crops the central `height x width` window of images; an image smaller than that is
    cropped to the target aspect ratio and resized (bilinear), as Keras does.

    Args:
        height, width: the output size.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape: `(batch, h, w, c)` or `(h, w, c)`. Output shape: `(batch, height, width, c)`.

    Example:
        >>> CenterCrop(24, 24)(ops.ones((2, 32, 32, 3))).shape
        torch.Size([2, 24, 24, 3])
    """

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(height, width, interpolation="bilinear", crop_to_aspect_ratio=True,
                         data_format=data_format, **kwargs)

    def call(self, inputs):
        hw = inputs.shape[-3:-1] if self._channels_last else inputs.shape[-2:]
        dh, dw = hw[0] - self.height, hw[1] - self.width
        if dh < 0 or dw < 0:
            return super().call(inputs)
        top, left = dh // 2, dw // 2
        if self._channels_last:
            return inputs[..., top:top + self.height, left:left + self.width, :]
        return inputs[..., top:top + self.height, left:left + self.width]

    def get_config(self):
        config = super().get_config()
        for key in ("interpolation", "crop_to_aspect_ratio", "pad_to_aspect_ratio", "fill_mode",
                    "fill_value", "antialias"):
            config.pop(key)
        return config
