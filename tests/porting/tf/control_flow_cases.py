"""tf.cond, tf.case, tf.switch_case, tf.while_loop: cases run under real TensorFlow and under
kerastorch's `tensorflow` (see case_runner.py)."""


def catch(fn):
    try:
        fn()
    except Exception as err:  # noqa: BLE001 - the type is the result
        return "!" + type(err).__name__
    return "no error"


def case_cond_case_switch(tf, np):
    x = tf.constant(3.0)
    return [tf.cond(x > 2.0, lambda: x * 2.0, lambda: x), tf.cond(x < 2.0, lambda: 1, lambda: 2),
            catch(lambda: tf.cond(True, lambda: 1)),
            tf.case([(x < 1.0, lambda: tf.constant(1)), (x > 2.0, lambda: tf.constant(2))],
                    default=lambda: tf.constant(3)),
            tf.case([(x < 1.0, lambda: tf.constant(1))], default=lambda: tf.constant(3)),
            catch(lambda: tf.case([(x < 1.0, lambda: tf.constant(1))])),
            tf.switch_case(tf.constant(1), [lambda: tf.constant(10), lambda: tf.constant(20)]),
            catch(lambda: tf.switch_case(1, [lambda: 1]))]


def case_while_loop(tf, np):
    out = tf.while_loop(lambda i, s: i < 5, lambda i, s: (i + 1, s + tf.cast(i, tf.float32)),
                        (tf.constant(0), tf.constant(0.0)))
    limited = tf.while_loop(lambda i: i < 100, lambda i: [i + 2], [0], maximum_iterations=4)
    nested = tf.while_loop(lambda p: p[0] < 3, lambda p: ((p[0] + 1, p[1] * 2.0),),
                           ((tf.constant(0), tf.constant(1.0)),))
    return [out, limited, nested, tf.executing_eagerly()]
