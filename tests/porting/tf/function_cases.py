"""tf.function: with and without arguments, input_signature, on methods: cases run under real
TensorFlow and under kerastorch's `tensorflow` (see case_runner.py)."""


def catch(fn):
    try:
        fn()
    except Exception as err:  # noqa: BLE001 - the type is the result
        return "!" + type(err).__name__
    return "no error"


def case_function_plain_and_with_arguments(tf, np):
    @tf.function
    def f(x, y):
        return x * y + 1.0

    @tf.function(reduce_retracing=True, autograph=False)
    def g(x):
        return tf.reduce_sum(x)

    return [f(tf.constant(2.0), tf.constant(3.0)), f(np.ones(2, np.float32), 2.0),
            g(tf.ones((2, 2))), f.python_function.__name__]


def case_function_input_signature(tf, np):
    @tf.function(input_signature=[tf.TensorSpec((None, 3), tf.float32)])
    def f(x):
        return x * 2.0

    return [f(np.ones((2, 3), np.float32)), f(tf.ones((1, 3))),
            catch(lambda: f(np.ones((2, 4), np.float32))),
            catch(lambda: f(tf.ones((2, 3), tf.int32))),
            catch(lambda: f(tf.ones((2, 3)), tf.ones((2, 3))))]


def case_function_on_a_method_and_gradient_inside(tf, np):
    class Trainer:
        def __init__(self):
            self.w = tf.Variable([1.0, 2.0])

        @tf.function
        def step(self, x):
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(self.w * x)
            grad = tape.gradient(loss, self.w)
            self.w.assign_sub(0.1 * grad)
            return loss

    t = Trainer()
    losses = [t.step(tf.constant([1.0, 3.0])) for _ in range(3)]
    return [losses, t.w.numpy()]
