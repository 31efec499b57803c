"""tf.debugging assertions and tf.errors: cases run under real TensorFlow and under kerastorch's
`tensorflow` (see case_runner.py)."""


def catch(fn):
    try:
        fn()
    except Exception as err:  # noqa: BLE001 - the type is the result
        return "!" + type(err).__name__
    return "no error"


def case_assertions(tf, np):
    x = tf.constant([1.0, 2.0])
    d = tf.debugging
    return [catch(lambda: d.assert_equal(x, x)), catch(lambda: d.assert_equal(x, x + 1.0)),
            catch(lambda: d.assert_less(x, 3.0)), catch(lambda: d.assert_less(x, 1.5)),
            catch(lambda: d.assert_greater_equal(x, 1.0)), catch(lambda: d.assert_positive(x)),
            catch(lambda: d.assert_negative(x)), catch(lambda: d.assert_non_negative(-x)),
            catch(lambda: d.assert_near(x, x + 1e-9)),
            catch(lambda: d.assert_near(x, x + 1.0)),
            catch(lambda: d.assert_rank(x, 1)), catch(lambda: d.assert_rank(x, 2)),
            catch(lambda: d.assert_rank_at_least(x, 2)),
            catch(lambda: d.assert_type(x, tf.float32)),
            catch(lambda: d.assert_type(x, tf.int32)),
            catch(lambda: d.assert_shapes([(tf.ones((2, 3)), ("N", 3)),
                                           (tf.ones((2,)), ("N",))])),
            catch(lambda: d.assert_shapes([(tf.ones((2, 3)), ("N", 3)),
                                           (tf.ones((4,)), ("N",))])),
            catch(lambda: d.check_numerics(tf.constant([1.0, np.nan]), "bad")),
            d.check_numerics(x, "fine"), catch(lambda: tf.assert_equal(x, x)),
            catch(lambda: tf.assert_less(x, 0.0)),
            issubclass(tf.errors.InvalidArgumentError, tf.errors.OpError)]
