"""tf.linalg on torch.linalg, with TensorFlow's conventions where they differ from torch's:
`svd` returns (s, u, v) with v not transposed, `qr` is reduced by default, `diag` builds a
matrix from its diagonal, `band_part` keeps a band, `norm`'s ord='euclidean' is the
flattened 2-norm."""

import builtins
import collections

import torch

from kerastorch.porting.tf import array_ops as _array
from kerastorch.porting.tf import math as _math
from kerastorch.porting.tf._common import axis_list
from kerastorch.porting.tf._common import convert
from kerastorch.porting.tf._common import dtype_of
from kerastorch.porting.tf._common import matching
from kerastorch.porting.tf._common import namespace_getattr
from kerastorch.porting.tf._common import require
from kerastorch.porting.tf._common import symbolic_ops
from kerastorch.porting.tf.errors import InvalidArgumentError

__getattr__ = namespace_getattr("linalg")

eye, einsum, tensordot = _array.eye, _array.einsum, _array.tensordot
l2_normalize = _math.l2_normalize
global_norm = _array.global_norm


def _square(op, x):
    if x.dim() < 2 or x.shape[-1] != x.shape[-2]:
        raise InvalidArgumentError(f"{op}: input must be a square matrix (or a batch of them), "
                                   f"got shape {list(x.shape)}")
    return x


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, output_type=None, grad_a=False, grad_b=False,
           name=None):
    """tf.linalg.matmul (also tf.matmul): batched, with TensorFlow's transpose flags."""
    x, y = matching("MatMul", a, b, ordered=True)
    if x.dim() < 2 or y.dim() < 2:
        raise InvalidArgumentError(f"In[0] and In[1] must be at least rank 2: {list(x.shape)} "
                                   f"and {list(y.shape)}")
    x = x.mH if adjoint_a else (x.mT if transpose_a else x)
    y = y.mH if adjoint_b else (y.mT if transpose_b else y)
    if x.shape[-1] != y.shape[-2]:
        raise InvalidArgumentError(f"Matrix size-incompatible: In[0]: {list(x.shape)}, "
                                   f"In[1]: {list(y.shape)}")
    return torch.matmul(x, y)


def matvec(a, b, transpose_a=False, adjoint_a=False, name=None):
    x, v = matching("matvec", a, b)
    x = x.mH if adjoint_a else (x.mT if transpose_a else x)
    return torch.matmul(x, v.unsqueeze(-1)).squeeze(-1)


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    x = convert(a)
    return x.mH if conjugate else x.mT


def adjoint(matrix, name=None):
    return convert(matrix).mH


def inv(input, adjoint=False, name=None):  # noqa: A002
    x = _square("MatrixInverse", require("MatrixInverse", convert(input), "float", "complex"))
    out = torch.linalg.inv(x)
    return out.mH if adjoint else out


def det(input, name=None):  # noqa: A002
    return torch.linalg.det(_square("MatrixDeterminant", convert(input)))


def slogdet(input, name=None):  # noqa: A002
    sign, logabs = torch.linalg.slogdet(_square("LogMatrixDeterminant", convert(input)))
    return sign, logabs


def logdet(matrix, name=None):
    chol = torch.linalg.cholesky(_square("logdet", convert(matrix)))
    return 2 * torch.sum(torch.log(torch.diagonal(chol, dim1=-2, dim2=-1).real), dim=-1)


def cholesky(input, name=None):  # noqa: A002
    x = _square("Cholesky", require("Cholesky", convert(input), "float", "complex"))
    out, info = torch.linalg.cholesky_ex(x)
    if bool((info != 0).any()):
        raise InvalidArgumentError("Cholesky decomposition was not successful. The input might "
                                   "not be valid.")
    return out


def cholesky_solve(chol, rhs, name=None):
    c, r = matching("cholesky_solve", chol, rhs)
    return torch.cholesky_solve(r, c, upper=False)


Qr = collections.namedtuple("Qr", ["q", "r"])


def qr(input, full_matrices=False, name=None):  # noqa: A002
    q, r = torch.linalg.qr(convert(input), mode="complete" if full_matrices else "reduced")
    return Qr(q, r)


def svd(tensor, full_matrices=False, compute_uv=True, name=None):
    """tf.linalg.svd: s, or (s, u, v) with tensor = u @ diag(s) @ adjoint(v)."""
    x = convert(tensor)
    if not compute_uv:
        return torch.linalg.svdvals(x)
    u, s, vh = torch.linalg.svd(x, full_matrices=full_matrices)
    return s, u, vh.mH


def eigh(tensor, name=None):
    """tf.linalg.eigh: (eigenvalues ascending, eigenvectors as columns) of a Hermitian matrix."""
    e, v = torch.linalg.eigh(_square("SelfAdjointEigV2", convert(tensor)))
    return e, v


def eigvalsh(tensor, name=None):
    return torch.linalg.eigvalsh(_square("SelfAdjointEigV2", convert(tensor)))


def eig(tensor, name=None):
    e, v = torch.linalg.eig(_square("Eig", convert(tensor)))
    return e, v


def eigvals(tensor, name=None):
    return torch.linalg.eigvals(_square("Eig", convert(tensor)))


def solve(matrix, rhs, adjoint=False, name=None):
    a, b = matching("MatrixSolve", matrix, rhs)
    _square("MatrixSolve", a)
    if b.dim() < 2 or b.shape[-2] != a.shape[-1]:
        raise InvalidArgumentError(f"Input matrix and right-hand side must have the same number "
                                   f"of rows: {list(a.shape)} vs. {list(b.shape)}")
    return torch.linalg.solve(a.mH if adjoint else a, b)


def triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None):
    a, b = matching("MatrixTriangularSolve", matrix, rhs)
    if adjoint:
        return torch.linalg.solve_triangular(a.mH, b, upper=lower)
    return torch.linalg.solve_triangular(a, b, upper=not lower)


def lstsq(matrix, rhs, l2_regularizer=0.0, fast=True, threads=None, name=None):
    a, b = matching("MatrixSolveLs", matrix, rhs)
    if l2_regularizer:
        gram = a.mH @ a + l2_regularizer * torch.eye(a.shape[-1], dtype=a.dtype, device=a.device)
        return torch.linalg.solve(gram, a.mH @ b)
    return torch.linalg.pinv(a) @ b


def pinv(a, rcond=None, validate_args=False, name=None):
    x = convert(a)
    if rcond is None:
        rcond = 10 * builtins.max(x.shape[-2:]) * torch.finfo(x.dtype).eps
    return torch.linalg.pinv(x, rtol=rcond)


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None):  # noqa: A002
    """tf.norm / tf.linalg.norm: 'euclidean' (2-norm of the flattened axes), 'fro', 1, 2,
    inf, or any p > 0 on vectors; matrix norms when axis is a pair."""
    x = require("norm", convert(tensor), "float", "complex")
    keepdims = builtins.bool(keepdims)
    if isinstance(axis, (list, tuple)) and len(axis) == 2:
        dims = tuple(int(a) for a in axis)
        order = "fro" if ord in ("euclidean", "fro") else ord
        return torch.linalg.matrix_norm(x, ord=order, dim=dims, keepdim=keepdims)
    if ord == "fro":
        raise ValueError("'fro' requires a pair of axes")
    dims = axis_list(axis, x.dim(), "norm")
    order = 2 if ord == "euclidean" else ord
    if not (order in (1, 2, float("inf"), -float("inf")) or (isinstance(order, (int, float))
                                                              and order > 0)):
        raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
    return torch.linalg.vector_norm(x, ord=order, dim=dims, keepdim=keepdims)


def trace(x, name=None):
    return torch.diagonal(convert(x), dim1=-2, dim2=-1).sum(-1).to(convert(x).dtype)


def diag(diagonal, name="diag", k=0, num_rows=-1, num_cols=-1, padding_value=0, align=None):
    """tf.linalg.diag: a (batch of) matrix with `diagonal` on its k-th diagonal."""
    d = convert(diagonal)
    return torch.diag_embed(d, offset=int(k))


def diag_part(input, name="diag_part", k=0, padding_value=0, align=None):  # noqa: A002
    return torch.diagonal(convert(input), offset=int(k), dim1=-2, dim2=-1)


def set_diag(input, diagonal, name="set_diag", k=0, align=None):  # noqa: A002
    x, d = matching("MatrixSetDiagV3", input, diagonal)
    out = x.clone()
    torch.diagonal(out, offset=int(k), dim1=-2, dim2=-1).copy_(d)
    return out


def band_part(input, num_lower, num_upper, name=None):  # noqa: A002
    """tf.linalg.band_part: keeps num_lower diagonals below, num_upper above (-1: all)."""
    x = convert(input)
    m, n = x.shape[-2:]
    rows = torch.arange(m, device=x.device).unsqueeze(-1)
    cols = torch.arange(n, device=x.device)
    lower, upper = int(num_lower), int(num_upper)
    keep = ((rows - cols <= lower) | (lower < 0)) & ((cols - rows <= upper) | (upper < 0))
    return torch.where(keep, x, torch.zeros((), dtype=x.dtype, device=x.device))


def cross(a, b, name=None):
    x, y = matching("Cross", a, b)
    return torch.linalg.cross(x, y, dim=-1)


def expm(input, name=None):  # noqa: A002
    return torch.linalg.matrix_exp(convert(input))


def normalize(tensor, ord="euclidean", axis=None, name=None):  # noqa: A002
    x = convert(tensor)
    n = norm(x, ord=ord, axis=axis, keepdims=True)
    return x / n, n



Lu = collections.namedtuple("Lu", ["lu", "p"])


def lu(input, output_idx_type="int32", name=None):  # noqa: A002
    """tf.linalg.lu: (lu, p) with L (unit lower) and U packed in lu and input[p] = L @ U."""
    x = _square("Lu", require("Lu", convert(input), "float", "complex"))
    packed, pivots = torch.linalg.lu_factor(x)
    n = x.shape[-1]
    perm = torch.arange(n, device=x.device).expand(pivots.shape).clone()
    swaps = pivots.long() - 1  # LAPACK's row swaps, in order
    for i in builtins.range(n):
        j = swaps[..., i:i + 1]
        row_i, row_j = perm[..., i:i + 1].clone(), perm.gather(-1, j)
        perm[..., i:i + 1] = row_j
        perm.scatter_(-1, j, row_i)
    return Lu(packed, perm.to(dtype_of(output_idx_type)))


def lu_reconstruct(lower_upper, perm, validate_args=False, name=None):
    """The matrix of lu's (lower_upper, perm)."""
    packed, p = convert(lower_upper), convert(perm).long()
    n = packed.shape[-1]
    eye_ = torch.eye(n, dtype=packed.dtype, device=packed.device)
    lower = torch.tril(packed, -1) + eye_
    product = lower @ torch.triu(packed)
    inverse = torch.argsort(p, dim=-1)
    return product.gather(-2, inverse.unsqueeze(-1).expand(product.shape))

symbolic_ops("linalg", globals())  # Keras tensors build TFOpLambda nodes
