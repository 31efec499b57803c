"""keras.ops linalg group: decompositions, inverses, solves and norms (torch.linalg)."""

import torch

from kerastorch import backend
from kerastorch.ops.core import convert_to_tensor as _t
from kerastorch.ops.dtypes import result_type
from kerastorch.ops.symbolic import op


def _assert_2d(*arrays):
    for a in arrays:
        if a.ndim < 2:
            raise ValueError(f"Expected input to have rank >= 2. Received input with shape "
                             f"{tuple(a.shape)}.")


def _assert_square(*arrays):
    for a in arrays:
        m, n = a.shape[-2:]
        if m != n:
            raise ValueError(f"Expected a square matrix. Received non-square input with shape "
                             f"{tuple(a.shape)}")


def _square_matrix(x):
    x = _t(x)
    _assert_2d(x)
    _assert_square(x)
    return x


@op("tf.linalg.cholesky")
def cholesky(x, upper=False):
    """Cholesky factor of the symmetric positive-definite `x` (lower unless `upper`)."""
    x = _square_matrix(x)
    try:
        return torch.linalg.cholesky(x, upper=upper)
    except RuntimeError as e:
        raise ValueError(f"Cholesky decomposition failed: {e}") from e


@op("tf.linalg.cholesky_solve")
def cholesky_inverse(x, upper=False):
    x = _square_matrix(x)
    return torch.cholesky_inverse(x, upper=upper)


@op("tf.linalg.det")
def det(x):
    """Determinant of the square matrix (batch) `x`."""
    return torch.det(_square_matrix(x))


@op("tf.linalg.eig")
def eig(x):
    """Eigenvalues and eigenvectors of a square matrix (complex)."""
    return torch.linalg.eig(_square_matrix(x))


@op("tf.linalg.eigh")
def eigh(x):
    """Eigenvalues and eigenvectors of a symmetric/Hermitian matrix."""
    return torch.linalg.eigh(_square_matrix(x))


@op("tf.linalg.inv")
def inv(x):
    """Inverse of the square matrix (batch) `x`."""
    return torch.linalg.inv(_square_matrix(x))


@op("tf.linalg.lu")
def lu_factor(x):
    x = _t(x)
    _assert_2d(x)
    lu, pivots = torch.linalg.lu_factor(x)
    return lu, pivots - 1


@op("tf.norm")
def norm(x, ord=None, axis=None, keepdims=False):  # noqa: A002
    """Vector or matrix norm of `x` over `axis` (ints are computed as floats)."""
    if isinstance(ord, str) and ord not in ("fro", "nuc"):
        raise ValueError("Invalid `ord` argument. Expected one of {'fro', 'nuc'} when using "
                         f"string. Received: ord={ord}")
    x = _t(x)
    d = backend.floatx() if x.dtype == torch.int64 else result_type(x.dtype, float)
    return torch.linalg.norm(x.to(backend.to_torch_dtype(d)), ord=ord, dim=axis,
                             keepdim=keepdims)


@op("tf.linalg.qr")
def qr(x, mode="reduced"):
    """QR decomposition: `(q, r)`."""
    if mode not in {"reduced", "complete"}:
        raise ValueError("`mode` argument value not supported. Expected one of {'reduced', "
                         f"'complete'}}. Received: mode={mode}")
    x = _t(x)
    if x.ndim < 2:
        raise ValueError(f"Input should have rank >= 2. Received: input.shape = "
                         f"{tuple(x.shape)}")
    return torch.linalg.qr(x, mode=mode)


@op("tf.linalg.solve")
def solve(a, b):
    """Solves `a @ x = b` for `x`."""
    a, b = _t(a), _t(b)
    _assert_2d(a)
    _assert_square(a)
    if b.ndim < 1:
        raise ValueError(f"Expected input to have rank >= 1. Received scalar input {b}.")
    if a.ndim == b.ndim and a.shape[-2] != b.shape[-2]:
        raise ValueError("Incompatible shapes between `a` and `b`. Expected `a.shape[-2] == "
                         f"b.shape[-2]`. Received: a.shape={tuple(a.shape)}, "
                         f"b.shape={tuple(b.shape)}")
    if a.ndim == b.ndim - 1 and a.shape[-1] != b.shape[-1]:
        raise ValueError("Incompatible shapes between `a` and `b`. Expected `a.shape[-1] == "
                         f"b.shape[-1]`. Received: a.shape={tuple(a.shape)}, "
                         f"b.shape={tuple(b.shape)}")
    return torch.linalg.solve(a, b)


@op("tf.linalg.triangular_solve")
def solve_triangular(a, b, lower=False):
    a, b = _t(a), _t(b)
    if b.ndim == a.ndim - 1:
        return torch.linalg.solve_triangular(a, b.unsqueeze(-1), upper=not lower).squeeze(-1)
    return torch.linalg.solve_triangular(a, b, upper=not lower)


@op("tf.linalg.svd")
def svd(x, full_matrices=True, compute_uv=True):
    """Singular value decomposition `(u, s, vh)`, or the singular values alone."""
    x = _t(x)
    _assert_2d(x)
    if not compute_uv:
        return torch.linalg.svdvals(x)
    return torch.linalg.svd(x, full_matrices=full_matrices)


@op("tf.linalg.lstsq")
def lstsq(a, b, rcond=None):
    a, b = _t(a), _t(b)
    if a.ndim != 2:
        raise ValueError(f"Expected a to have rank 2. Received: a.shape={tuple(a.shape)}")
    if b.ndim not in (1, 2):
        raise ValueError(f"Expected b to have rank 1 or 2. Received: b.shape={tuple(b.shape)}")
    vector = b.ndim == 1
    bb = b.unsqueeze(-1) if vector else b
    if rcond is not None:
        out = torch.linalg.lstsq(a, bb, rcond=rcond, driver="gelsd")[0]
    else:
        out = torch.linalg.lstsq(a, bb)[0]
    return out.squeeze(-1) if vector else out


@op("tf.linalg.matrix_rank")
def matrix_rank(x, tol=None):
    return torch.linalg.matrix_rank(_t(x), atol=tol).to(torch.int32)


@op("tf.linalg.pinv")
def pinv(x, rcond=None):
    return torch.linalg.pinv(_t(x), rtol=rcond)


def jvp(fun, primals, tangents, has_aux=False):
    """Jacobian-vector product of `fun` at `primals` along `tangents` (torch.func.jvp)."""
    return torch.func.jvp(fun, primals, tangents, has_aux=has_aux)
