"""tf.Variable: names, dtypes, assign, use in ops: cases run under real TensorFlow and under
kerastorch's `tensorflow` (see case_runner.py)."""


def catch(fn):
    try:
        fn()
    except Exception as err:  # noqa: BLE001 - the type is the result
        return "!" + type(err).__name__
    return "no error"


def case_variable_basics(tf, np):
    v = tf.Variable([[1.0, 2.0]], name="w")
    i = tf.Variable(3)
    d = tf.Variable(np.zeros(2))
    return [v.name, tf.Variable(1.0).name, v.shape.as_list(), v.dtype.name, i.dtype.name,
            d.dtype.name, bool(v.trainable), bool(tf.Variable(1.0, trainable=False).trainable),
            v.numpy(), v.read_value(), repr(tf.Variable(1.0, name="s")),
            repr(tf.Variable([1, 2], name="ints")),
            repr(tf.Variable(np.ones((2, 2), np.float32), name="m")),
            repr(tf.Variable([True, False]))]


def case_variable_assign(tf, np):
    v = tf.Variable([1.0, 2.0])
    v.assign([3.0, 4.0])
    a = v.numpy()
    v.assign_add([1.0, 1.0])
    b = v.numpy()
    v.assign_sub(tf.constant([0.5, 0.5]))
    c = v.numpy()
    returned = v.assign_add([1.0, 1.0])
    return [a, b, c, returned.numpy(), catch(lambda: v.assign([1.0, 2.0, 3.0])),
            tf.Variable(lambda: tf.ones((2,))).numpy(),
            tf.Variable(1, dtype=tf.float32).dtype.name, tf.as_dtype(v.read_value().dtype).name]


def case_variable_in_ops(tf, np):
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    x = tf.constant([[1.0], [2.0]])
    return [v * 2.0, 2.0 * v, v + x, v - 1.0, v / 2.0, -v, v ** 2, tf.matmul(v, x),
            tf.reduce_sum(v), tf.reduce_mean(v, axis=0), v[0], v[:, 1], v > 2.0,
            tf.exp(v), tf.square(v), abs(tf.Variable([-1.0]))]


def case_variable_shape_mismatch(tf, np):
    return [catch(lambda: tf.Variable([1.0, 2.0], shape=(3,))),
            catch(lambda: tf.Variable(None)),
            tf.Variable([1.0, 2.0], shape=(2,)).numpy()]
