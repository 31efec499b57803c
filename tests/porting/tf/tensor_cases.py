"""tf.constant, convert_to_tensor, cast, shape/rank/size, identity, stop_gradient, the dtype
objects and TensorSpec: cases run under real TensorFlow and under kerastorch's `tensorflow` (see
case_runner.py)."""


def catch(fn):
    try:
        fn()
    except Exception as err:  # noqa: BLE001 - the type is the result
        return "!" + type(err).__name__
    return "no error"


def case_constant_dtype_rules(tf, np):
    values = [1, 1.5, [1, 2], [1, 2.5], True, [2 ** 40], np.array([1.0]), np.array([1]),
              np.float32(2.0), np.array([1, 2], np.int8)]
    return [[tf.constant(v), tf.as_dtype(tf.constant(v).dtype).name] for v in values]


def case_constant_with_dtype_and_shape(tf, np):
    return [tf.constant(3, dtype=tf.float32), tf.constant([1, 2, 3, 4], shape=(2, 2)),
            tf.constant(7.0, shape=(2, 3)), tf.constant([1.0, 2.0], dtype=tf.float64),
            catch(lambda: tf.constant(1.5, dtype=tf.int32)),
            catch(lambda: tf.constant(tf.constant(1.0), dtype=tf.int32)),
            catch(lambda: tf.constant([1, 2, 3], shape=(2, 2)))]


def case_convert_to_tensor(tf, np):
    t = tf.constant([1.0, 2.0])
    return [tf.convert_to_tensor([1, 2]), tf.convert_to_tensor(np.array([1.0, 2.0])),
            tf.convert_to_tensor(2, dtype=tf.float32), tf.convert_to_tensor(t),
            tf.convert_to_tensor([1, 2], dtype_hint=tf.float32),
            tf.convert_to_tensor([1.5], dtype_hint=tf.int32),
            catch(lambda: tf.convert_to_tensor(t, dtype=tf.int32)),
            tf.convert_to_tensor(tf.Variable([3.0]))]


def case_cast(tf, np):
    x = tf.constant([1.7, -1.7, 0.0, 2.5])
    return [tf.cast(x, tf.int32), tf.cast(x, tf.bool), tf.cast(x, tf.float64),
            tf.cast(tf.constant([1, 0, 3]), tf.float32), tf.cast([1, 2], tf.float16),
            tf.cast(x, "int64"), tf.saturate_cast(tf.constant([300.0, -5.0]), tf.uint8)]


def case_shape_rank_size(tf, np):
    x = tf.ones((2, 3, 4))
    return [tf.shape(x), tf.rank(x), tf.size(x), tf.shape(x, out_type=tf.int64),
            tf.size(x, out_type=tf.int64), tf.shape(tf.constant(1.0)),
            list(x.shape), x.ndim, list(x.shape[1:]), tf.TensorShape(x.shape).as_list(),
            tf.TensorShape([None, 3]).as_list()[1:], tf.TensorShape(x.shape).rank]


def case_identity_and_stop_gradient(tf, np):
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        a = tf.identity(v) * 3.0
        b = tf.stop_gradient(v) * 3.0 + v
    return [a, tape.gradient(a, v), tape.gradient(b, v), tf.identity(tf.constant([1, 2]))]


def case_dtype_objects(tf, np):
    out = []
    for d in (tf.float16, tf.float32, tf.float64, tf.int8, tf.int32, tf.int64, tf.uint8,
              tf.bool, tf.complex64):
        out.append([d.name, repr(d), str(d), bool(d.is_floating), bool(d.is_integer),
                    bool(d.is_bool), bool(d.is_complex), bool(d.is_unsigned), d.size,
                    np.dtype(d.as_numpy_dtype).name])
    out.append([float(tf.float32.max), float(tf.float16.min), int(tf.int32.min),
                int(tf.uint8.max), int(tf.int8.max)])
    out.append([tf.as_dtype("float32") == tf.float32, tf.as_dtype(np.float64).name,
                tf.as_dtype(np.int32) == tf.int32, tf.dtypes.as_dtype("bool").name,
                tf.constant(1.0).dtype == tf.float32, tf.float32 == tf.float64,
                tf.float32 != tf.int32, catch(lambda: tf.as_dtype("nonsense"))])
    return out


def case_tensor_spec(tf, np):
    spec = tf.TensorSpec((None, 3), tf.float32, name="x")
    other = tf.TensorSpec(shape=[2, 3], dtype=tf.int32)
    return [repr(spec), repr(other), spec.shape.as_list(), spec.dtype.name, spec.name,
            bool(spec.is_compatible_with(tf.ones((5, 3)))),
            bool(spec.is_compatible_with(tf.ones((5, 4)))),
            bool(spec.is_compatible_with(tf.TensorSpec((2, 3), tf.float32))),
            spec == tf.TensorSpec((None, 3), tf.float32, name="x"), spec == other,
            repr(tf.TensorSpec.from_tensor(tf.constant([[1, 2]])))]
