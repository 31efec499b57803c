"""The table of TensorFlow op cases that test_ops_vs_tf.py runs in real TensorFlow 2.21 and in
kerastorch's `tensorflow` shim (issue #17, the op namespaces).

Imports only numpy, so that both interpreters read the same table. Each case is a dict

    {"id", "fn", "args", "kwargs", "compare", "atol"}

`fn` is the dotted path under `tensorflow` ("math.add", "nn.conv2d", "concat"); `args` and
`kwargs` are numpy arrays, Python scalars, nested lists and strings (and `T(array)`: a tensor,
tf.constant in TensorFlow, a torch tensor in the shim, for TF's rules on tensors), drawn from a
RandomState with a fixed seed, so the table is the same on every run. `compare` is "values"
(shapes, dtypes and values), "meta" (shapes and dtypes only: the random ops, whose streams
differ), "sorted" (values up to order), "eigh"/"svd"/"qr" (vectors up to sign) or "grad": the
gradient of sum(output * cos(arange)) with respect to the first argument (GradientTape there,
torch.autograd here). `fn` may also be a function of the `tensorflow` module and the
arguments (for keyword-only uses such as logits=). Bad
arguments are cases like the others: whatever TensorFlow raises, the shim must raise too.
"""

import numpy as np

RS = np.random.RandomState(1717)
CASES = []


class T:
    """An argument that is a tensor (not a numpy array) on both sides."""

    def __init__(self, value):
        self.value = np.asarray(value)


def materialize(value, make_tensor):
    """The argument with each T made a tensor by make_tensor (tf.constant / torch.as_tensor)."""
    if isinstance(value, T):
        return make_tensor(value.value)
    if isinstance(value, list):
        return [materialize(v, make_tensor) for v in value]
    if isinstance(value, tuple):
        return tuple(materialize(v, make_tensor) for v in value)
    if isinstance(value, dict):
        return {k: materialize(v, make_tensor) for k, v in value.items()}
    return value


def case(fn, *args, compare="values", atol=1e-5, tag="", **kwargs):
    name = fn if isinstance(fn, str) else "fn"
    index = sum(1 for c in CASES if c["fn"] == fn or (name == "fn" and c["id"].startswith("fn")))
    CASES.append({"id": f"{name}{'-' + tag if tag else ''}-{index}", "fn": fn, "args": args,
                  "kwargs": kwargs, "compare": compare, "atol": atol})


def grad(fn, *args, atol=1e-4, tag="grad", **kwargs):
    """A gradient case (float32 gradients through several kernels: atol 1e-4)."""
    case(fn, *args, compare="grad", atol=atol, tag=tag, **kwargs)


def weights(shape):
    """The fixed weights of a gradient case's loss, sum(output * weights)."""
    return np.cos(np.arange(int(np.prod(shape)), dtype=np.float64)).reshape(shape)


def f32(*shape, lo=-2.0, hi=2.0):
    return RS.uniform(lo, hi, shape).astype(np.float32)


def f64(*shape):
    return RS.uniform(-2, 2, shape)


def i32(*shape, lo=-5, hi=6):
    return RS.randint(lo, hi, shape).astype(np.int32)


def i64(*shape, lo=0, hi=5):
    return RS.randint(lo, hi, shape).astype(np.int64)


def boolean(*shape):
    return RS.rand(*shape) > 0.5


def pos(*shape):
    return RS.uniform(0.1, 3.0, shape).astype(np.float32)


def unit(*shape):
    return RS.uniform(-0.9, 0.9, shape).astype(np.float32)


def image(*shape):
    return RS.uniform(0, 1, shape).astype(np.float32)


# ------------------------------------------------------------------- math, binary
for name in ["add", "subtract", "multiply", "maximum", "minimum", "squared_difference"]:
    case(f"math.{name}", f32(3, 4), f32(3, 4))
    case(f"math.{name}", f32(2, 1, 4), f32(3, 1), tag="broadcast")
    case(f"math.{name}", i32(5), i32(5), tag="int")
    case(f"math.{name}", f32(3), i32(3), tag="mixed")  # InvalidArgumentError in TF
case("add", f32(2, 3), 2)
case("add", f32(2, 3), 2.5)
case("add", 2.5, 1)
case("add", 1, 2.5)
case("add", i32(3), 2.5)
case("add", [1, 2], [1.0, 2.0])
case("add", f32(3), f64(3))
case("add", f64(3), f32(3))
case("add", f32(3), i64(3))
case("add", f32(2), f32(3), tag="shapes")
case("add", 1, T(f32(3)), tag="tensor")
case("add", T(f32(3)), 1)
case("add", T(f32(3)), T(f64(3)), tag="tensors")
case("add", f64(3), T(f32(3)), tag="tensor")
case("add", T(i32(3)), np.float32([1.5, 2, 3]))
case("multiply", T(f32(2, 2)), [[1, 2], [3, 4]])
case("math.maximum", T(i64(3)), 2)
case("concat", [T(f32(2)), f32(2), [1.0]], 0)
case("multiply", [[1, 2]], [[3], [4]])
case("math.add_n", [f32(2, 3), f32(2, 3), f32(2, 3)])
case("math.scalar_mul", 3.0, f32(4))
for name in ["divide", "truediv"]:
    case(f"math.{name}", f32(4), pos(4))
    case(f"math.{name}", i32(4), i32(4, lo=1))
    case(f"math.{name}", i64(4), i64(4, lo=1))
    case(f"math.{name}", np.int16([7, -7]), np.int16([2, 2]))
for name in ["floordiv", "floormod", "truncatediv", "truncatemod"]:
    case(f"math.{name}" if name.startswith("floor") else name, i32(6), i32(6, lo=1))
    case(f"math.{name}" if name.startswith("floor") else name, np.int32([-7, 7, -7, 7]),
         np.int32([2, 2, -2, -2]))
    case(f"math.{name}" if name.startswith("floor") else name, f32(6), pos(6))
case("math.mod", np.int32([-7, 7]), np.int32([3, -3]))
case("math.pow", pos(5), f32(5))
case("math.pow", i32(4, lo=0), np.int32([0, 1, 2, 3]))
case("math.atan2", f32(5), f32(5))
case("math.xlogy", np.float32([0, 1, 2]), pos(3))
case("math.xdivy", np.float32([0, 1, 2]), pos(3))
case("math.divide_no_nan", f32(4), np.float32([0, 1, 0, 2]))
case("math.multiply_no_nan", np.float32([np.inf, 1, 2]), np.float32([0, 1, 2]))
for name in ["equal", "not_equal", "less", "less_equal", "greater", "greater_equal"]:
    case(f"math.{name}", i32(6, lo=0, hi=3), i32(6, lo=0, hi=3))
    case(f"math.{name}", f32(2, 3), f32(3))
case("math.equal", f32(3), i32(3), tag="mixed")
for name in ["logical_and", "logical_or", "logical_xor"]:
    case(f"math.{name}", boolean(5), boolean(5))
case("math.logical_and", i32(3), i32(3), tag="int")
case("math.logical_not", boolean(4))

# -------------------------------------------------------------------- math, unary
for name in ["abs", "negative", "sign", "square"]:
    case(f"math.{name}", f32(3, 2))
    case(f"math.{name}", i32(5), tag="int")
for name in ["exp", "expm1", "sin", "cos", "tan", "atan", "sinh", "cosh", "tanh", "asinh",
             "sigmoid", "log_sigmoid", "softplus", "softsign", "erf", "erfc", "ceil", "floor",
             "rint"]:
    case(f"math.{name}", f32(2, 3))
for name in ["log", "log1p", "sqrt", "rsqrt", "reciprocal", "lgamma", "digamma", "acosh"]:
    case(f"math.{name}", pos(4) + (1.0 if name == "acosh" else 0.0))
for name in ["asin", "acos", "atanh", "erfinv"]:
    case(f"math.{name}", unit(5))
for name in ["sqrt", "exp", "log", "sigmoid", "tanh", "floor"]:
    case(f"math.{name}", i32(3, lo=1), tag="int")
case("math.sqrt", f64(3) ** 2)
for name in ["bessel_i0", "bessel_i0e", "bessel_i1", "bessel_i1e"]:
    case(f"math.{name}", f32(5) * 2)
case("math.ndtri", image(5))
case("math.igamma", pos(5), pos(5))
case("math.igammac", pos(5), pos(5))
case("math.zeta", pos(4) + 1.5, pos(4))
case("math.polygamma", np.float32([0, 1, 2, 1]), pos(4))
case("math.polygamma", np.float32([0.5]), pos(1), tag="notwhole")
case("math.lbeta", pos(3, 4))
case("math.reciprocal_no_nan", np.float32([0, 2, -4]))
case("math.invert_permutation", np.int32([2, 0, 3, 1]))
case("math.invert_permutation", np.int32([2, 2, 0]), tag="notperm")
case("math.round", np.float32([0.5, 1.5, 2.5, -0.5, -1.5, 2.4]))
case("math.round", i32(3), tag="int")
for name in ["is_nan", "is_inf", "is_finite"]:
    case(f"math.{name}", np.float32([1.0, np.nan, np.inf, -np.inf]))
case("math.real", np.complex64([1 + 2j, 3 - 1j]))
case("abs", np.complex64([3 + 4j, -1j]))
case("abs", T(np.complex128([1 + 1j])))
case("math.imag", np.complex64([1 + 2j, 3 - 1j]))
case("math.conj", np.complex64([1 + 2j, 3 - 1j]))
case("math.angle", np.complex64([1 + 2j, -3 - 1j]))

# ------------------------------------------------------------------------- reductions
for name in ["reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod",
             "reduce_logsumexp", "reduce_std", "reduce_variance", "reduce_euclidean_norm"]:
    x = f32(3, 4, 5)
    case(f"math.{name}", x)
    case(f"math.{name}", x, axis=1)
    case(f"math.{name}", x, axis=[0, -1], keepdims=True)
    case(f"math.{name}", x, axis=-2, keepdims=True)
    case(f"math.{name}", x, axis=3, tag="badaxis")
for name in ["reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod",
             "reduce_std"]:
    case(f"math.{name}", i32(4, 3), axis=0, tag="int")
case("reduce_sum", [[1, 2], [3, 4]], axis=1)
case("reduce_mean", [[1, 2], [3, 4]])
case("reduce_mean", np.int32([-3, 0]))
case("reduce_sum", f64(3, 2), axis=[1])
case("reduce_sum", boolean(3), tag="bool")
for name in ["reduce_all", "reduce_any"]:
    case(f"math.{name}", boolean(3, 4), axis=1)
    case(f"math.{name}", boolean(3, 4))
case("math.count_nonzero", i32(3, 4, lo=0, hi=2), axis=1)
case("math.count_nonzero", f32(3, 4) > 0)
for name in ["argmax", "argmin"]:
    case(f"math.{name}", f32(3, 4))
    case(f"math.{name}", f32(3, 4), axis=1)
    case(f"math.{name}", f32(3, 4), axis=-1, output_type="int32")
    case(f"math.{name}", i32(5))
    case(f"math.{name}", f32(3, 4), axis=2, tag="badaxis")
for name in ["cumsum", "cumprod"]:
    case(f"math.{name}", f32(3, 4), axis=1)
    case(f"math.{name}", f32(3, 4), axis=0, exclusive=True)
    case(f"math.{name}", f32(3, 4), axis=1, reverse=True)
    case(f"math.{name}", f32(3, 4), axis=1, exclusive=True, reverse=True)
    case(f"math.{name}", i32(6, lo=1, hi=3))
case("math.cumulative_logsumexp", f32(6))
case("math.cumulative_logsumexp", f32(2, 6), axis=1, exclusive=True, reverse=True)
ids = np.int32([0, 0, 1, 1, 1, 3])
for name in ["segment_sum", "segment_mean", "segment_max", "segment_min", "segment_prod"]:
    case(f"math.{name}", f32(6, 2), ids)
for name in ["unsorted_segment_sum", "unsorted_segment_mean", "unsorted_segment_max",
             "unsorted_segment_min", "unsorted_segment_prod"]:
    case(f"math.{name}", f32(6, 2), np.int32([3, 0, 1, 1, 0, 3]), 5)
case("math.top_k", f32(3, 6), k=3)
case("math.top_k", f32(6), k=1)
case("math.top_k", f32(2, 4), k=5, tag="toolarge")
case("nn.top_k", f32(2, 5), 2)
case("math.in_top_k", np.int32([0, 3, 1]), f32(3, 5), 2)
case("math.bincount", np.int32([1, 1, 4, 2]))
case("math.bincount", np.int32([1, 1, 4, 2]), minlength=7)
case("math.bincount", np.int32([1, 1, 4, 2]), weights=np.float32([0.5, 1, 2, 3]))
case("math.confusion_matrix", np.int32([0, 1, 2, 1]), np.int32([0, 2, 2, 1]))
case("math.confusion_matrix", np.int32([0, 1, 1]), np.int32([0, 0, 1]), num_classes=3)
case("math.l2_normalize", f32(3, 4), axis=1)
case("math.l2_normalize", f32(3, 4))
case("math.softmax", f32(3, 5))
case("math.log_softmax", f32(3, 5), axis=0)
case("math.polyval", [np.float32(2.0), np.float32(-1.0), np.float32(3.0)], f32(4))
case("math.zero_fraction", np.float32([0, 1, 0, 3]))

# ------------------------------------------------------------------------- array ops
case("concat", [f32(2, 3), f32(4, 3)], 0)
case("concat", [f32(2, 3), f32(2, 1)], axis=-1)
case("concat", [i32(2), i32(3)], 0)
case("concat", [f32(2, 3), f32(4, 2)], 0, tag="shapes")
case("concat", [i32(2), f32(2)], 0, tag="dtypes")
case("stack", [f32(2, 3), f32(2, 3)])
case("stack", [f32(2, 3), f32(2, 3), f32(2, 3)], axis=2)
case("stack", [f32(2), f32(3)], tag="shapes")
case("stack", [1, 2, 3])
case("unstack", f32(3, 2))
case("unstack", f32(3, 2, 4), axis=1)
case("split", f32(6, 2), 3)
case("split", f32(2, 7), [2, 4, 1], axis=1)
case("split", f32(2, 7), [2, -1], axis=1)
case("split", f32(5), 2, tag="uneven")
case("tile", f32(2, 3), [2, 1])
case("tile", i32(3), [3])
case("tile", f32(2, 3), [2], tag="badmultiples")
case("pad", f32(2, 3), [[1, 0], [2, 1]])
case("pad", f32(2, 3), [[1, 1], [0, 2]], constant_values=5.0)
case("pad", f32(3, 4), [[2, 1], [1, 3]], mode="REFLECT")
case("pad", f32(3, 4), [[2, 3], [1, 4]], mode="SYMMETRIC")
case("pad", f32(3, 4), [[1, 1], [0, 0]], mode="reflect")
case("pad", f32(2, 3), [[3, 0], [0, 0]], mode="REFLECT", tag="toolarge")
case("gather", f32(5, 3), np.int32([4, 0, 2]))
case("gather", f32(5, 3), np.int32([[1, 2], [0, 0]]), axis=1)
case("gather", f32(2, 5, 3), np.int32([[1, 4], [0, 0]]), axis=1, batch_dims=1)
case("gather", f32(4), 2)
case("gather", f32(4), np.int32([5]), tag="outofrange")
case("gather_nd", f32(3, 4), np.int32([[0, 1], [2, 3]]))
case("gather_nd", f32(3, 4, 2), np.int32([[1], [0]]))
case("gather_nd", f32(2, 3, 4), np.int32([[1], [2]]), batch_dims=1)
case("gather_nd", f32(3, 4), np.int32([[3, 0]]), tag="outofrange")
case("scatter_nd", np.int32([[1], [3], [1]]), f32(3), [5])
case("scatter_nd", np.int32([[0, 1], [2, 2]]), f32(2, 4), [3, 3, 4])
case("tensor_scatter_nd_update", f32(4, 2), np.int32([[1], [3]]), f32(2, 2))
case("tensor_scatter_nd_add", f32(4), np.int32([[1], [1], [2]]), f32(3))
case("tensor_scatter_nd_sub", f32(4), np.int32([[1], [2]]), f32(2))
case("tensor_scatter_nd_max", f32(4), np.int32([[1], [2]]), f32(2))
case("tensor_scatter_nd_min", f32(4), np.int32([[1], [2]]), f32(2))
case("tensor_scatter_nd_update", f32(4), np.int32([[1]]), f32(2), tag="badupdates")
case("where", boolean(3, 4))
case("where", boolean(3, 4), f32(3, 4), f32(3, 4))
case("where", boolean(3, 1), f32(1, 4), f32(3, 4))
case("where", boolean(3), i32(3), f32(3), tag="dtypes")
case("boolean_mask", f32(4, 2), np.array([True, False, True, True]))
case("boolean_mask", f32(2, 3, 2), boolean(2, 3))
case("boolean_mask", f32(3, 4), np.array([True, False, True, False]), axis=1)
case("boolean_mask", f32(3), np.array([True, False]), tag="shapes")
case("sequence_mask", np.int32([1, 3, 0]), 4)
case("sequence_mask", np.int32([2, 1]))
case("sequence_mask", np.int32([2, 1]), 3, dtype="float32")
case("one_hot", np.int32([0, 2, -1, 5]), 3)
case("one_hot", np.int32([[0, 1], [2, 0]]), 3, on_value=5.0, off_value=-1.0)
case("one_hot", np.int32([0, 2]), 4, axis=0)
case("one_hot", np.int64([1, 0]), 2, dtype="int32")
case("clip_by_value", f32(3, 4), -0.5, 0.7)
case("clip_by_value", i32(6), 0, 3)
case("clip_by_value", f32(3), f32(3) - 1, f32(3) + 1)
case("clip_by_norm", f32(3, 4), 1.0)
case("clip_by_norm", f32(3, 4), 1.0, axes=[1])
case("clip_by_norm", f32(3), 100.0)
case("clip_by_global_norm", [f32(3, 2), f32(4)], 1.5)
case("clip_by_global_norm", [f32(3, 2), f32(4)], 100.0)
case("sort", f32(3, 5))
case("sort", f32(3, 5), axis=0, direction="DESCENDING")
case("sort", i32(7))
case("argsort", f32(3, 5))
case("argsort", f32(6), direction="DESCENDING")
case("argsort", f32(6), direction="UP", tag="baddirection")
case("searchsorted", np.float32([[1, 3, 5, 7]]), np.float32([[0, 3, 6, 9]]))
case("searchsorted", np.float32([[1, 3, 5, 7]]), np.float32([[3, 7]]), side="right")
case("unique", np.int32([1, 1, 4, 2, 4, 0]))
case("unique_with_counts", np.int32([5, 1, 5, 2, 2, 2]))
case("range", 5)
case("range", 2, 11, 3)
case("range", 0, 1, 0.25)
case("range", 5, dtype="float32")
case("range", np.int64(4))
case("range", 10, 2, -2)
case("linspace", 0.0, 1.0, 5)
case("linspace", 0, 1, 5)
case("linspace", np.float32([0, 1]), np.float32([1, 3]), 4)
case("linspace", np.float32([0, 1]), np.float32([1, 3]), 4, axis=1)
case("meshgrid", f32(3), f32(2))
case("meshgrid", f32(3), f32(2), indexing="ij")
case("einsum", "ij,jk->ik", f32(2, 3), f32(3, 4))
case("einsum", "bij,bjk->bik", f32(2, 2, 3), f32(2, 3, 2))
case("einsum", "ii->i", f32(3, 3))
case("einsum", "ij,jk->ik", f32(2, 3), i32(3, 4), tag="dtypes")
case("tensordot", f32(2, 3), f32(3, 4), 1)
case("tensordot", f32(2, 3, 4), f32(4, 3, 5), [[1, 2], [1, 0]])
case("tensordot", f32(2, 3), f32(2, 3), 0)
case("squeeze", f32(1, 3, 1, 2))
case("squeeze", f32(1, 3, 1, 2), axis=2)
case("squeeze", f32(1, 3, 1, 2), axis=[0, -2])
case("squeeze", f32(1, 3), axis=1, tag="notone")
case("expand_dims", f32(2, 3), 0)
case("expand_dims", f32(2, 3), -1)
case("expand_dims", f32(2, 3), 5, tag="badaxis")
case("reshape", f32(2, 6), [3, 4])
case("reshape", f32(2, 6), [-1, 2])
case("reshape", f32(2, 6), [5, -1], tag="bad")
case("reshape", f32(2, 6), [5, 2], tag="bad")
case("transpose", f32(2, 3))
case("transpose", f32(2, 3, 4), [2, 0, 1])
case("transpose", f32(2, 3, 4), perm=[1, 0], tag="badperm")
case("slice", f32(4, 5), [1, 2], [2, -1])
case("slice", f32(4, 5), [1, 0], [3, 6], tag="toolarge")
case("strided_slice", f32(5, 6), [1, 0], [4, 6], [2, 2])
case("strided_slice", f32(8), [6], [1], [-2])
case("strided_slice", f32(4, 5, 6), [1, 0, 0], [3, 0, 4], [1, 1, 1], begin_mask=2, end_mask=2)
case("strided_slice", f32(4, 5), [2], [3], shrink_axis_mask=1)
case("strided_slice", f32(4, 5), [0, 1], [0, 3], new_axis_mask=1)
case("strided_slice", f32(2, 3, 4), [0, 1], [0, 3], ellipsis_mask=1)
case("strided_slice", f32(5), [-1], [-6], [-1])
case("zeros", [2, 3])
case("ones", (2,), dtype="int32")
case("fill", [2, 2], 3)
case("fill", [3], 1.5)
case("zeros_like", i32(3))
case("ones_like", f32(2, 2), dtype="int64")
case("eye", 3)
case("eye", 2, 4, dtype="int32")
case("eye", 2, batch_shape=[3])
case("broadcast_to", f32(3, 1), [2, 3, 4])
case("broadcast_to", f32(3, 2), [3, 4], tag="bad")
case("repeat", f32(3, 2), 2, axis=0)
case("repeat", f32(3), [1, 0, 2], axis=0)
case("repeat", f32(2, 2), 2)
case("reverse", f32(3, 4), [1])
case("reverse", f32(3, 4), [0, 1])
case("roll", f32(5), 2, 0)
case("roll", f32(3, 4), [1, -1], [0, 1])
case("dynamic_partition", f32(5, 2), np.int32([0, 2, 1, 0, 2]), 3)
case("dynamic_partition", f32(2, 3), np.int32([[0, 1, 1], [1, 1, 0]]), 2)
case("dynamic_partition", f32(3), np.int32([0, 3, 1]), 2, tag="outofrange")
case("dynamic_stitch", [np.int32([0, 2]), np.int32([[1], [3]])], [f32(2, 2), f32(2, 1, 2)])
case("dynamic_stitch", [np.int32([0, 1]), np.int32([1, 2])], [f32(2), f32(2)])
case("unravel_index", np.int32([0, 5, 11]), [3, 4])
case("unravel_index", np.int64(7), np.int64([2, 4]))
case("reshape", np.float32(3.0), [1, 1])
case("add", np.float64(1.5), np.float32(2.0))
case("unravel_index", np.int32([12]), [3, 4], tag="outofrange")
case("histogram_fixed_width", f32(50) * 3, [-2.0, 2.0], nbins=7)
case("histogram_fixed_width", i32(20), [0, 5], nbins=5)

# TensorFlow's rules where scripts meet them: Python values, tensors, mixed arguments
case("reduce_mean", [1.0, 2.0, 4.0])
case("reduce_sum", f32(2, 3), keepdims=True)
case("reduce_max", T(i32(2, 3)), axis=T(np.int32(1)))
case("math.argmax", np.float32([1, 3, 3, 0]))
case("where", np.array([True, False, True]), 1.0, 0.0)
case("where", T(boolean(3)), T(f32(3)), 0.0)
case("clip_by_value", T(i32(4)), 0.5, 2.5)
case("clip_by_value", T(f32(4)), 0, 1)
case("math.pow", T(f32(3)), 2)
case("maximum", T(f32(4)), 0)
case("minimum", 0, T(f32(4)))
case("stack", [1.0, 2.0])
case("stack", [T(f32(2)), T(i32(2))], tag="dtypes")
case("gather", f32(4), np.int32([-1]), tag="negative")
case("split", f32(6), T(np.int32([2, 4])))
case("image.resize", img0 := image(5, 7, 3), T(np.int32([3, 3])))
case("nn.avg_pool2d", f32(1, 2, 2, 1), 3, 1, "VALID", tag="toolarge")
case("nn.avg_pool1d", f32(1, 2, 3), 3, 1, "VALID", tag="toolarge")
case("nn.max_pool2d", f32(1, 2, 2, 1), 3, 1, "SAME")
case("strings.split", np.array([b"a b", b"c"]))
case("strings.length", np.array([b"ab", "é".encode()]))
case("one_hot", T(i64(3)), 4, on_value=True, off_value=False)
case("concat", [[1, 2], [3]], 0)
case("truediv", T(f32(3)), T(f32(3)))
case("math.floordiv", T(f32(3)), 2)
case("math.reduce_std", T(f64(3, 2)), axis=0)
case("math.reduce_variance", T(i32(3)), tag="int")
case("linalg.matmul", T(f32(2, 3)), T(f32(3, 2)).value.astype(np.float64), tag="numpy")
case("linalg.norm", T(f32(3)), ord=3)
case("image.convert_image_dtype", T(f32(2, 2, 1)), "float16")
case("image.adjust_brightness", T(image(2, 2, 1).astype(np.float64)), 0.1)
case("nn.relu", T(f32(2, 2).astype(np.float16)))
case("nn.softmax", T(f64(2, 3)))
case("sort", T(i32(5)), direction="DESCENDING")

# bad arguments scripts make
case("one_hot", np.float32([0.0, 1.0]), 3, tag="floatindices")
case("gather", f32(4), np.float32([1.0]), tag="floatindices")
case("range", 0, 5, 0, tag="zerodelta")
case("tile", f32(2), [-1], tag="negative")
case("math.argmax", np.array([True, False]), tag="bool")
case("math.reduce_sum", f32(2, 3), axis=1.5, tag="floataxis")
case("expand_dims", f32(2), 0.5, tag="floataxis")
case("sequence_mask", np.float32([1.0, 2.0]), 3, tag="floatlengths")

# ------------------------------------------------------------------------------ nn
x4 = f32(2, 7, 6, 3)
for padding in ["SAME", "VALID"]:
    for strides in [1, 2, [1, 2, 3, 1]]:
        case("nn.conv2d", x4, f32(3, 2, 3, 4), strides, padding)
    case("nn.conv2d", x4, f32(3, 3, 3, 2), 1, padding, dilations=2)
    case("nn.depthwise_conv2d", x4, f32(3, 3, 3, 2), [1, 2, 2, 1], padding)
    case("nn.separable_conv2d", x4, f32(3, 3, 3, 2), f32(1, 1, 6, 5), [1, 1, 1, 1], padding)
    case("nn.conv1d", f32(2, 9, 3), f32(3, 3, 4), 2, padding)
    case("nn.max_pool2d", x4, 3, 2, padding)
    case("nn.avg_pool2d", x4, 3, 2, padding)
    case("nn.max_pool2d", x4, [2, 3], [1, 2], padding)
    case("nn.avg_pool2d", x4, [1, 2, 3, 1], [1, 2, 2, 1], padding)
    case("nn.max_pool1d", f32(2, 9, 3), 2, 2, padding)
    case("nn.avg_pool1d", f32(2, 9, 3), 3, 2, padding)
    case("nn.max_pool", x4, 2, 2, padding)
    case("nn.avg_pool", f32(2, 5, 3), 2, 1, padding)
case("nn.conv2d", x4, f32(3, 3, 3, 4), 1, [[0, 0], [1, 2], [0, 1], [0, 0]])
case("nn.conv2d", x4, f32(3, 3, 2, 4), 1, "SAME", tag="badchannels")
case("nn.conv2d", x4, f32(3, 3, 3, 4).astype(np.float64), 1, "SAME", tag="dtypes")
case("nn.conv3d", f32(1, 5, 4, 4, 2), f32(2, 2, 2, 2, 3), [1, 1, 2, 1, 1], "SAME")
case("nn.convolution", x4, f32(2, 2, 3, 4), padding="SAME")
for padding, out in [("SAME", [2, 8, 6, 2]), ("VALID", [2, 9, 7, 2]), ("SAME", [2, 7, 5, 2]),
                     ("VALID", [2, 10, 8, 2])]:
    case("nn.conv2d_transpose", f32(2, 4, 3, 3), f32(3, 3, 2, 3), out, 2, padding)
case("nn.conv2d_transpose", f32(2, 4, 3, 3), f32(3, 3, 2, 3), [2, 4, 3, 2], 1, "SAME")
case("nn.conv2d_transpose", f32(2, 4, 3, 3), f32(3, 3, 2, 3), [2, 20, 6, 2], 2, "SAME",
     tag="badshape")
case("nn.weighted_moments", f32(4, 3), [0], pos(4, 1))
case("nn.weighted_moments", f32(4, 3), [0, 1], pos(4, 3), keepdims=True)
case("nn.normalize_moments", np.float32(4.0), f32(3), pos(3), None)
case("nn.normalize_moments", np.float32(4.0), f32(3), pos(3), np.float32(0.5))
case("nn.log_poisson_loss", pos(5) * 2, f32(5))
case("nn.log_poisson_loss", np.float32([0, 0.5, 1, 2, 5]), f32(5), compute_full_loss=True)
case("nn.atrous_conv2d", f32(1, 7, 7, 2), f32(3, 3, 2, 3), 2, "SAME")
case("nn.zero_fraction", np.float32([0, 1, 0]))
case("nn.moments", f32(4, 3, 2), [0])
case("nn.moments", f32(4, 3, 2), [0, 1], keepdims=True)
case("nn.batch_normalization", f32(4, 3), f32(3), pos(3), f32(3), pos(3), 1e-3)
case("nn.batch_normalization", f32(4, 3), f32(3), pos(3), None, None, 1e-3)
case("nn.softmax", f32(3, 4))
case("nn.softmax", f32(3, 4), axis=0)
case("nn.log_softmax", f32(3, 4))
case("nn.softmax", i32(3), tag="int")
case("nn.sigmoid_cross_entropy_with_logits", labels=image(3, 4), logits=f32(3, 4))
case("nn.sigmoid_cross_entropy_with_logits", labels=image(3, 4), logits=f32(3, 2),
     tag="shapes")
probs = RS.dirichlet(np.ones(5), 3).astype(np.float32)
case("nn.softmax_cross_entropy_with_logits", labels=probs, logits=f32(3, 5))
case("nn.softmax_cross_entropy_with_logits", labels=probs.T.copy(), logits=f32(5, 3), axis=0)
case("nn.softmax_cross_entropy_with_logits", labels=T(np.int32([[0, 0, 1]])), logits=T(f32(1, 3)))
case("nn.softmax_cross_entropy_with_logits", labels=T(probs.astype(np.float64)),
     logits=T(f32(3, 5)))
case("nn.sigmoid_cross_entropy_with_logits", labels=T(np.int32([[0, 1]])), logits=T(f32(1, 2)),
     tag="intlabels")
case("nn.sparse_softmax_cross_entropy_with_logits", labels=np.int32([0, 4, 2]), logits=f32(3, 5))
case("nn.sparse_softmax_cross_entropy_with_logits", labels=np.int64([[1, 0]]),
     logits=f32(1, 2, 3))
case("nn.sparse_softmax_cross_entropy_with_logits", labels=np.int32([0, 7]), logits=f32(2, 5),
     tag="outofrange")
case("nn.sparse_softmax_cross_entropy_with_logits", labels=np.int32([0, 1, 2]),
     logits=f32(2, 5), tag="shapes")
case("nn.weighted_cross_entropy_with_logits", image(3, 2), f32(3, 2), 2.5)
case("nn.l2_normalize", f32(3, 4), axis=-1)
case("nn.l2_normalize", f32(3, 4), axis=[0, 1], epsilon=1e-3)
for name in ["relu", "relu6", "elu", "selu", "softplus", "softsign", "sigmoid", "tanh",
             "crelu", "silu", "swish"]:
    case(f"nn.{name}", f32(3, 4) * 4)
case("nn.relu", i32(5), tag="int")
case("nn.relu6", i32(5) * 2, tag="int")
case("nn.leaky_relu", f32(3, 4))
case("nn.leaky_relu", f32(3, 4), alpha=0.01)
case("nn.gelu", f32(3, 4) * 3)
case("nn.gelu", f32(3, 4) * 3, approximate=True)
case("nn.silu", f32(3, 4), beta=2.0)
case("nn.bias_add", f32(2, 3, 4), f32(4))
case("nn.bias_add", f32(2, 4, 3), f32(4), data_format="NCHW")
case("nn.bias_add", f32(2, 3), f32(4), tag="shapes")
case("nn.l2_loss", f32(3, 4))
case("nn.embedding_lookup", f32(10, 4), np.int32([[1, 9], [0, 0]]))
case("nn.embedding_lookup", f32(10, 4), np.int32([3, 7]), max_norm=0.5)
case("nn.embedding_lookup", f32(10, 4), np.int32([10]), tag="outofrange")
case("nn.depth_to_space", f32(2, 2, 3, 8), 2)
case("nn.conv1d_transpose", f32(2, 5, 3), f32(3, 2, 3), [2, 10, 2], 2, "SAME")
case("nn.conv3d_transpose", f32(1, 2, 3, 2, 3), f32(2, 2, 2, 4, 3), [1, 4, 6, 4, 4],
     [1, 2, 2, 2, 1], "SAME")
case("nn.local_response_normalization", f32(2, 3, 3, 8))
case("nn.local_response_normalization", f32(2, 3, 3, 8), depth_radius=2, bias=2.0, alpha=0.5,
     beta=0.75)
case("nn.space_to_depth", f32(2, 4, 6, 3), 2)
ctc_labels = np.int32([[1, 2, 2, 0], [3, 1, 0, 0]])
case("nn.ctc_loss", ctc_labels, f32(7, 2, 5), np.int32([3, 2]), np.int32([7, 5]), atol=1e-4)
case("nn.ctc_loss", ctc_labels, f32(2, 6, 5), np.int32([4, 1]), np.int32([6, 6]),
     logits_time_major=False, atol=1e-4)
case("nn.ctc_loss", ctc_labels - 1 + 1, f32(6, 2, 5), np.int32([2, 2]), np.int32([6, 4]),
     blank_index=-1, atol=1e-4)
case("nn.compute_average_loss", f32(4))
case("nn.compute_average_loss", f32(4), global_batch_size=8)
case("nn.dropout", f32(50, 40), 0.0)
case("nn.dropout", f32(50, 40), 0.3, compare="meta")
case("nn.dropout", f32(5), 1.5, tag="badrate")

# --------------------------------------------------------------------------- linalg
sq = f32(3, 3) + 3 * np.eye(3, dtype=np.float32)
spd = (sq @ sq.T).astype(np.float32)
case("matmul", f32(2, 3), f32(3, 4))
case("matmul", f32(5, 2, 3), f32(5, 3, 4))
case("matmul", f32(3, 2), f32(4, 3), transpose_a=True, transpose_b=True)
case("matmul", i32(2, 3), i32(3, 2))
case("matmul", f32(2, 3), f32(2, 3), tag="shapes")
case("matmul", f32(2, 3), i32(3, 2), tag="dtypes")
case("linalg.matmul", f32(2, 3), f32(2, 4), adjoint_a=True)
case("linalg.matvec", f32(2, 3), f32(3))
case("linalg.inv", sq)
case("linalg.det", sq)
case("linalg.slogdet", sq)
case("linalg.logdet", spd)
case("linalg.cholesky", spd)
case("linalg.solve", sq, f32(3, 2))
case("linalg.solve", sq, f32(2, 2), tag="shapes")
case("linalg.triangular_solve", np.tril(sq), f32(3, 2))
case("linalg.triangular_solve", np.triu(sq), f32(3, 2), lower=False)
case("linalg.cholesky_solve", np.linalg.cholesky(spd).astype(np.float32), f32(3, 1))
case("linalg.eigh", spd, compare="eigh")
case("linalg.eigvalsh", spd)
case("linalg.svd", sq, compute_uv=False)
case("linalg.svd", f32(4, 3), compare="svd")
case("linalg.qr", f32(4, 3), compare="qr")
case("linalg.norm", f32(3, 4))
case("linalg.norm", f32(3, 4), axis=1)
case("linalg.norm", f32(3, 4), ord=1, axis=1)
case("linalg.norm", f32(3, 4), ord="fro", axis=[0, 1])
case("linalg.norm", f32(3, 4), ord=np.inf, axis=-1, keepdims=True)
case("norm", f32(3, 4), axis=0)
case("linalg.trace", f32(2, 3, 3))
case("linalg.diag", f32(2, 3))
case("linalg.diag_part", f32(2, 3, 3))
case("linalg.set_diag", f32(3, 3), f32(3))
case("linalg.band_part", f32(4, 5), 1, 0)
case("linalg.band_part", f32(4, 5), -1, 1)
case("linalg.matrix_transpose", f32(2, 3, 4))
case("linalg.adjoint", f32(3, 2))
case("linalg.cross", f32(4, 3), f32(4, 3))
case("linalg.expm", f32(3, 3) * 0.3, atol=1e-4)
case("linalg.pinv", f32(4, 3))
case("linalg.lstsq", f32(5, 3), f32(5, 2), atol=1e-4)
case("linalg.eye", 2, 3)
case("linalg.global_norm", [f32(3), f32(2, 2)])
case("linalg.inv", f32(2, 3), tag="notsquare")
case("linalg.lu", f32(4, 4))
case("linalg.lu", f32(2, 3, 3), output_idx_type="int64")
case(lambda tf, x: tf.linalg.lu_reconstruct(*tf.linalg.lu(x)), f32(2, 4, 4), tag="lu_roundtrip")

# ------------------------------------------------------------------------------ image
img = image(2, 6, 8, 3)
for method in ["bilinear", "nearest", "bicubic", "area"]:
    case("image.resize", img, [12, 16], method=method)
    case("image.resize", img, [4, 5], method=method)
    case("image.resize", img, [9, 11], method=method, atol=1e-4 if method == "area" else 1e-5)
for method in ["bilinear", "bicubic", "lanczos3", "lanczos5"]:
    case("image.resize", img, [3, 5], method=method, antialias=True, atol=1e-4)
case("image.resize", img[0], [12, 4])
case("image.resize", img, [20, 20], preserve_aspect_ratio=True)
case("image.resize", (img * 255).astype(np.uint8), [5, 5])
case("image.resize", (img * 255).astype(np.uint8), [12, 9], method="nearest")
case("image.resize", img, [2], tag="badsize")
case("image.resize", img[0, 0], [2, 2], tag="badrank")
case("image.flip_left_right", img)
case("image.flip_up_down", img[0])
case("image.transpose", img)
for k in [1, 2, 3, -1]:
    case("image.rot90", img, k=k)
case("image.rot90", img[0])
case("image.crop_to_bounding_box", img, 1, 2, 4, 5)
case("image.crop_to_bounding_box", img, 4, 2, 4, 5, tag="toolarge")
case("image.pad_to_bounding_box", img, 1, 2, 9, 11)
case("image.central_crop", img, 0.5)
case("image.central_crop", img[0], 0.75)
case("image.resize_with_crop_or_pad", img, 4, 10)
case("image.resize_with_crop_or_pad", img[0], 9, 5)
case("image.resize_with_pad", img, 8, 8)
case("image.adjust_brightness", img, 0.2)
case("image.adjust_brightness", (img * 255).astype(np.uint8), 0.2)
case("image.adjust_contrast", img, 1.7)
case("image.adjust_contrast", img[0], 0.3)
case("image.adjust_gamma", img, 2.0, 0.8)
case("image.adjust_saturation", img, 1.8)
case("image.adjust_saturation", img, 0.4)
case("image.adjust_hue", img, 0.2)
case("image.adjust_hue", img, -0.4)
case("image.adjust_hue", img, 1.5, tag="baddelta")
case("image.rgb_to_grayscale", img)
case("image.rgb_to_grayscale", (img * 255).astype(np.uint8))
case("image.grayscale_to_rgb", T(img[..., :1]))
case("image.rgb_to_hsv", img)
case("image.hsv_to_rgb", img)
case("image.per_image_standardization", img)
for dtype in ["uint8", "int32", "float64"]:
    case("image.convert_image_dtype", img, dtype)
case("image.convert_image_dtype", (img * 255).astype(np.uint8), "float32")
case("image.convert_image_dtype", (img * 255).astype(np.uint8), "int32")
case("image.convert_image_dtype", img * 2, "uint8", saturate=True)
for padding in ["VALID", "SAME"]:
    case("image.extract_patches", img, [1, 3, 3, 1], [1, 2, 2, 1], [1, 1, 1, 1], padding)
    case("image.extract_patches", img, [1, 2, 3, 1], [1, 3, 1, 1], [1, 2, 1, 1], padding)
case("image.psnr", img, np.clip(img + f32(2, 6, 8, 3) * 0.1, 0, 1), 1.0)
case("image.psnr", (img * 255).astype(np.uint8), (img[::-1] * 255).astype(np.uint8), 255)
big = image(2, 16, 16, 3)
case("image.ssim", big, np.clip(big + f32(2, 16, 16, 3) * 0.1, 0, 1), 1.0, atol=1e-4)
case("image.ssim", big, big[::-1], 1.0, filter_size=5, atol=1e-4)
case("image.total_variation", T(img))
case("image.image_gradients", T(img))
case("image.random_flip_left_right", img, compare="meta")
case("image.random_flip_up_down", img[0], compare="meta")
case("image.random_crop", img, [2, 4, 4, 3], compare="meta")
case("image.random_crop", img, [2, 10, 4, 3], tag="toolarge")
case("image.random_brightness", img, 0.3, compare="meta")
case("image.random_contrast", img, 0.5, 1.5, compare="meta")
case("image.random_saturation", img, 0.5, 1.5, compare="meta")
case("image.random_hue", img, 0.2, compare="meta")
case("image.random_hue", img, 0.7, tag="baddelta")
case("image.random_contrast", img, 1.5, 0.5, tag="badrange")
for fn, extra in [("flip_left_right", ()), ("flip_up_down", ()), ("brightness", (0.3,)),
                  ("contrast", (0.5, 1.5)), ("saturation", (0.5, 1.5)), ("hue", (0.2,))]:
    case(f"image.stateless_random_{fn}", img, *extra, seed=[1, 2], compare="meta")
case("image.stateless_random_crop", img, [2, 3, 3, 3], seed=[3, 4], compare="meta")
case("image.stateless_random_contrast", img, 0.5, 0.2, seed=[1, 2], tag="badrange")

# ----------------------------------------------------------------------------- random
for fn, kwargs in [("normal", {}), ("normal", {"mean": 2.0, "stddev": 3.0, "dtype": "float64"}),
                   ("uniform", {}), ("uniform", {"minval": -1, "maxval": 4, "dtype": "int32"}),
                   ("uniform", {"minval": 2.0, "maxval": 3.0, "dtype": "float16"}),
                   ("truncated_normal", {"stddev": 0.5})]:
    case(f"random.{fn}", [3, 4], compare="meta", seed=3, **kwargs)
case("random.uniform", [2], dtype="int32", tag="nomaxval")
case("random.gamma", [5], np.float32([0.5, 2.0]), compare="meta")
case("random.gamma", [5], 2.0, beta=np.float32([1, 2, 3]), compare="meta")
case("random.categorical", f32(3, 4), 6, compare="meta")
case("random.categorical", f32(3, 4), 2, dtype="int32", compare="meta")
case("random.shuffle", f32(5, 2), compare="sorted")
case("random.stateless_normal", [2, 3], [1, 2], compare="meta")
case("random.stateless_uniform", [2, 3], [1, 2], minval=0, maxval=10, dtype="int64",
     compare="meta")
case("random.stateless_truncated_normal", [4], np.int64([5, 6]), compare="meta")
case("random.stateless_categorical", f32(2, 3), 4, [3, 4], compare="meta")

case("image.sobel_edges", T(img))
case("image.crop_and_resize", img, np.float32([[0.1, 0.2, 0.8, 0.9], [0.5, 0.0, 1.0, 0.5],
                                                [-0.2, 0.3, 0.6, 1.3]]), np.int32([0, 1, 1]),
     [4, 5])
case("image.crop_and_resize", img, np.float32([[0.6, 0.9, 0.1, 0.2]]), np.int32([1]), [3, 3],
     method="nearest", extrapolation_value=-1.0)
case("image.crop_and_resize", img, np.float32([[0.2, 0.2, 0.7, 0.7]]), np.int32([0]), [1, 1])
nms_boxes = np.float32([[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, -0.1, 1, 0.9], [0, 10, 1, 11],
                        [0, 10.1, 1, 11.1], [0, 100, 1, 101]])
nms_scores = np.float32([0.9, 0.75, 0.6, 0.95, 0.5, 0.3])
case("image.non_max_suppression", nms_boxes, nms_scores, 3, iou_threshold=0.5)
case("image.non_max_suppression", nms_boxes, nms_scores, 10, iou_threshold=0.7,
     score_threshold=0.4)
case("image.non_max_suppression", np.float32([[1, 1, 0, 0], [0, 0, 1, 1]]), np.float32([0.5,
                                                                                     0.6]), 2)
case("image.non_max_suppression", image(30, 4) * 10, image(30), 8, iou_threshold=0.3)

# ----------------------------------------------------------------------------- signal
sig = f32(2, 100)
case("signal.frame", sig, 16, 8)
case("signal.frame", sig, 16, 8, pad_end=True)
case("signal.frame", f32(30, 2), 8, 5, axis=0)
case("signal.stft", sig, 32, 16, atol=1e-4)
case("signal.stft", sig, 30, 10, fft_length=64, pad_end=True, atol=1e-4)
case("signal.hann_window", 8)
case("signal.hann_window", 8, periodic=False)
case("signal.hamming_window", 7)
case("signal.rfft", f32(2, 16), atol=1e-4)
case("signal.overlap_and_add", f32(2, 5, 8), 3)
case("signal.overlap_and_add", f32(4, 6), 6)
stft_in = (f32(2, 9, 17) + 1j * f32(2, 9, 17)).astype(np.complex64)
case("signal.inverse_stft", stft_in, 32, 16, atol=1e-4)
case("signal.inverse_stft", stft_in, 30, 10, fft_length=32, atol=1e-4)
case(lambda tf, x: tf.signal.inverse_stft(
    x, 32, 8, window_fn=tf.signal.inverse_stft_window_fn(8)), stft_in, atol=1e-4,
    tag="inverse_window")
case(lambda tf, x: tf.signal.inverse_stft(tf.signal.stft(x, 32, 8), 32, 8,
                                          window_fn=tf.signal.inverse_stft_window_fn(8)),
     f32(2, 200), atol=1e-4, tag="roundtrip")
case("signal.dct", f32(3, 8))
case("signal.dct", f32(3, 8), norm="ortho")
case("signal.dct", f32(2, 7), type=3)
case("signal.dct", f32(2, 7), type=3, norm="ortho")
case("signal.dct", f32(2, 6), n=4)
case("signal.idct", f32(2, 6), norm="ortho")
case("signal.dct", f32(2, 6), norm="forward", tag="badnorm")
case("signal.mfccs_from_log_mel_spectrograms", f32(2, 5, 40), atol=1e-4)
case("signal.linear_to_mel_weight_matrix")
case("signal.linear_to_mel_weight_matrix", 40, 257, 16000, 20.0, 7600.0)
case("signal.irfft", (f32(9) + 1j * f32(9)).astype(np.complex64), atol=1e-4)
case("signal.fft", (f32(8) + 1j * f32(8)).astype(np.complex64), atol=1e-4)
case("signal.ifft", (f32(8) + 1j * f32(8)).astype(np.complex64), atol=1e-4)

# ---------------------------------------------------------------------------- strings
text = ["Hello World", "  the  Quick brown ", "ÉCOLE été"]
case("strings.lower", text)
case("strings.upper", np.array(text))
case("strings.strip", text)
case("strings.split", text)
case("strings.split", ["a,b,,c", "d"], sep=",")
case("strings.split", "x y z")
case("strings.split", ["a,b,c"], sep=",", maxsplit=1)
case("strings.join", [["a", "b"], ["c", "d"]], separator="-")
case("strings.join", [["a", "b"], "x"])
case("strings.reduce_join", [["a", "b"], ["c", "d"]], axis=1, separator=" ")
case("strings.reduce_join", ["a", "b", "c"])
case("strings.regex_replace", text, r"[aeiou]", "_")
case("strings.regex_replace", text, r"(\w+) (\w+)", r"\2 \1", replace_global=False)
case("strings.regex_replace", ["<b>x</b>"], r"<[^>]+>", "")
case("strings.regex_full_match", ["abc", "ab1"], r"[a-z]+")
case("strings.length", text)
case("strings.length", text, unit="UTF8_CHAR")
case("strings.to_number", ["1.5", "-2", "3e2"])
case("strings.to_number", ["7", "-12"], out_type="int32")
case("strings.to_number", ["1x"], tag="bad")
case("strings.unicode_split", ["héllo", "ab"], "UTF-8")
case("strings.unicode_split", "été", "UTF-8")
case("strings.unicode_decode", ["héllo", "ab"], "UTF-8")
case("strings.substr", ["hello", "abcdef"], 1, 3)
case("strings.bytes_split", ["ab", "é"])
case("strings.bytes_split", "xyz")
case("strings.as_string", np.int32([1, 22]))

# ------------------------------------------------------------------------------- nest
Point = __import__("collections").namedtuple("Point", ["x", "y"])
nested = {"b": [1, (2, 3)], "a": Point(4, {"z": 5, "c": 6}), "n": None}
case("nest.flatten", nested, compare="values")
case("nest.flatten", 7)
case("nest.map_structure", lambda v: v * 10, [1, (2, {"k": 3, "a": 4})])
case("nest.map_structure", lambda u, v: u + v, (1, [2, 3]), (10, [20, 30]))
case("nest.map_structure", lambda u, v: u + v, (1, [2, 3]), (10, (20, 30)), tag="types")
case("nest.map_structure", lambda u, v: u + v, (1, [2, 3]), (10, (20, 30)),
     check_types=False)
case("nest.map_structure", lambda u, v: u + v, [1, 2], [1, 2, 3], tag="lengths")
case("nest.pack_sequence_as", {"b": [0, 0], "a": 0}, [1, 2, 3])
case("nest.pack_sequence_as", [0, (0, 0)], [1, 2], tag="count")
case("nest.is_nested", [1])
case("nest.is_nested", 1)
case("nest.assert_same_structure", [1, (2,)], [3, (4,)])
case("nest.assert_same_structure", [1, (2,)], [3, [4]], tag="types")
case("nest.assert_same_structure", {"a": 1}, {"b": 1}, tag="keys")

# -------------------------------------------------------------------------- gradients
for name in ["reduce_sum", "reduce_mean", "reduce_max", "reduce_logsumexp", "reduce_std",
             "reduce_prod"]:
    grad(f"math.{name}", f32(3, 4), axis=1)
for name in ["abs", "sqrt", "exp", "log1p", "tanh", "sigmoid", "softplus", "square", "erf"]:
    grad(f"math.{name}", pos(5) if name in ("sqrt", "log1p") else f32(5))
grad("math.pow", pos(4), f32(4))
grad("math.maximum", f32(6), f32(6))
grad("math.divide_no_nan", f32(4), np.float32([0, 1, 2, 0]))
grad("math.cumsum", f32(3, 4), axis=1, exclusive=True, reverse=True)
grad("math.cumprod", f32(5))
grad("math.segment_sum", f32(6, 2), np.int32([0, 0, 1, 1, 1, 3]))
grad("math.unsorted_segment_max", f32(6, 2), np.int32([3, 0, 1, 1, 0, 3]), 4)
grad(lambda tf, x: tf.math.top_k(x, k=2).values, f32(3, 5), tag="top_k")
grad("math.l2_normalize", f32(3, 4), axis=1)
grad("math.log_softmax", f32(3, 4))
grad("nn.conv2d", f32(2, 7, 6, 3), f32(3, 2, 3, 4), 2, "SAME")
grad(lambda tf, w, x: tf.nn.conv2d(x, w, 2, "SAME"), f32(3, 3, 3, 2), f32(2, 6, 5, 3),
     tag="conv2d_filters")
grad("nn.depthwise_conv2d", f32(2, 6, 6, 3), f32(3, 3, 3, 2), [1, 2, 2, 1], "SAME")
grad("nn.conv2d_transpose", f32(2, 4, 3, 3), f32(3, 3, 2, 3), [2, 8, 6, 2], 2, "SAME")
grad("nn.max_pool2d", f32(2, 6, 6, 2), 3, 2, "SAME")
grad("nn.avg_pool2d", f32(2, 7, 5, 2), 3, 2, "SAME")
grad("nn.moments", f32(4, 3), [0])
grad("nn.batch_normalization", f32(4, 3), f32(3), pos(3), f32(3), pos(3), 1e-3)
grad("nn.gelu", f32(6))
grad("nn.selu", f32(6))
grad("nn.leaky_relu", f32(6))
grad("nn.relu6", f32(6) * 5)
grad(lambda tf, x: tf.nn.sigmoid_cross_entropy_with_logits(labels=image(3, 4), logits=x),
     f32(3, 4), tag="sigmoid_xent")
grad(lambda tf, x: tf.nn.softmax_cross_entropy_with_logits(labels=probs, logits=x),
     f32(3, 5), tag="softmax_xent")
grad(lambda tf, x: tf.nn.sparse_softmax_cross_entropy_with_logits(
    labels=np.int32([0, 4, 2]), logits=x), f32(3, 5), tag="sparse_xent")
grad("nn.embedding_lookup", f32(6, 3), np.int32([[1, 5], [1, 1]]))
grad("nn.l2_loss", f32(3, 2))
grad("gather", f32(5, 3), np.int32([4, 0, 4]))
grad("gather", f32(2, 5, 3), np.int32([[1, 4], [0, 0]]), axis=1, batch_dims=1)
grad("gather_nd", f32(3, 4), np.int32([[0, 1], [2, 3], [0, 1]]))
grad("boolean_mask", f32(4, 2), np.array([True, False, True, True]))
grad(lambda tf, y, c: tf.where(c, np.float32([1, 2, 3]), y), f32(3),
     np.array([True, False, False]), tag="where_y")
grad("tile", f32(2, 3), [2, 2])
grad("pad", f32(3, 4), [[2, 1], [1, 3]], mode="REFLECT")
grad("pad", f32(3, 4), [[1, 1], [2, 2]], mode="SYMMETRIC")
grad("strided_slice", f32(8), [6], [1], [-2])
grad(lambda tf, x: tf.concat([x, x * 2], axis=0), f32(2, 3), tag="concat")
grad("tensor_scatter_nd_update", f32(4, 2), np.int32([[1], [3]]), f32(2, 2))
grad("clip_by_value", f32(6), -0.5, 0.5)
grad("clip_by_norm", f32(3, 4), 1.0)
grad(lambda tf, x: tf.clip_by_global_norm([x, x * 3], 2.0)[0][1], f32(3), tag="global_norm")
grad(lambda tf, x: tf.einsum("ij,jk->ik", x, np.float32(RS.rand(3, 4))), f32(2, 3),
     tag="einsum")
grad("matmul", f32(2, 3), f32(3, 4))
grad("linalg.inv", sq)
grad("linalg.det", sq)
grad("linalg.cholesky", spd, atol=1e-3)
grad("linalg.norm", f32(3, 4), axis=1)
grad("linalg.trace", f32(3, 3))
grad("image.resize", image(1, 4, 5, 2), [7, 9])
grad("image.resize", image(1, 6, 8, 2), [4, 5], method="bicubic")
# (TensorFlow has no gradient for ResizeArea or AdjustContrastv2; torch has them here)
grad("image.rgb_to_grayscale", image(1, 3, 3, 3))
grad("image.extract_patches", image(1, 5, 5, 2), [1, 3, 3, 1], [1, 2, 2, 1], [1, 1, 1, 1],
     "SAME")
grad("image.ssim", big, np.clip(big + f32(2, 16, 16, 3) * 0.1, 0, 1), 1.0, atol=1e-3)
grad("signal.frame", f32(2, 20), 6, 3)
