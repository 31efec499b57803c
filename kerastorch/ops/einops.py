"""keras.ops.rearrange: einops-style axis rearrangement, a thin call of the einops library."""

from kerastorch.ops.core import convert_to_tensor as _t
from kerastorch.ops.symbolic import op


@op("einops.rearrange")
def rearrange(tensor, pattern, **axes_lengths):
    """Rearranges the axes of `tensor` as einops `pattern` says, e.g. `"b h w c -> b c h w"`.

    Args:
        tensor: a tensor, array, or symbolic tensor (in a functional model).
        pattern: the einops pattern, with `(...)` groups for merged or split axes.
        **axes_lengths: sizes of split axes, e.g. `h1=2`.

    Example:
        >>> rearrange(ops.ones((32, 30, 40, 3)), "b (h1 h) (w1 w) c -> (b h1 w1) h w c",
        ...           h1=2, w1=2).shape
        torch.Size([128, 15, 20, 3])
    """
    import einops
    return einops.rearrange(_t(tensor), pattern, **axes_lengths)
