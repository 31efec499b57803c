"""GradientTape cases, run under real TensorFlow and under kerastorch's `tensorflow`
(tests/porting/tf/case_runner.py): the same code, so the gradients must agree.

Only the tape, Variables, operators and the few tf functions every version of the package has
are used, so these cases test differentiation, not the op namespaces.
"""


def catch(fn):
    try:
        fn()
    except Exception as err:  # noqa: BLE001 - the type is the result
        return "!" + type(err).__name__
    return "no error"


def _data(np, *shape, seed=0):
    return np.random.RandomState(seed).uniform(-1, 1, shape).astype("float32")


def case_polynomial_first_order(tf, np):
    x = tf.constant(_data(np, 5))
    y = tf.constant(_data(np, 5, seed=1))
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        z = tf.reduce_sum(x ** 3 * y + tf.exp(x * y) - x / (y * y + 1.0))
    return tape.gradient(z, [x, y])


def case_variables_dict_sources(tf, np):
    w = tf.Variable(_data(np, 4, 3), name="w")
    b = tf.Variable(_data(np, 3, seed=2), name="b")
    x = tf.constant(_data(np, 6, 4, seed=3))
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b))
    grads = tape.gradient(loss, {"w": w, "b": b})
    return [grads["w"], grads["b"]]


def case_nested_targets_and_output_gradients(tf, np):
    w = tf.Variable(_data(np, 3))
    with tf.GradientTape(persistent=True) as tape:
        y1 = w * w
        y2 = tf.reduce_sum(tf.exp(w))
    summed = tape.gradient([y1, {"a": y2}], w)
    weighted = tape.gradient(y1, w, output_gradients=tf.constant([1.0, -2.0, 0.5]))
    return [summed, weighted]


def case_unconnected_none_and_zero(tf, np):
    a = tf.Variable(_data(np, 2, 2))
    b = tf.Variable(_data(np, 3, seed=4))
    with tf.GradientTape(persistent=True) as tape:
        y = tf.reduce_sum(a * 2.0)
    return [tape.gradient(y, [a, b]),
            tape.gradient(y, [a, b], unconnected_gradients=tf.UnconnectedGradients.ZERO),
            tape.gradient(y, b, unconnected_gradients="zero")]


def case_constant_target_and_integer_source(tf, np):
    v = tf.Variable(_data(np, 3))
    i = tf.Variable(3)
    with tf.GradientTape(persistent=True) as tape:
        c = tf.constant(2.0)
        y = v * 3.0
    return [tape.gradient(c, v), tape.gradient(y, i), str(i.dtype), bool(i.trainable)]


def case_unwatched_constant_gets_none(tf, np):
    x = tf.constant(_data(np, 3))
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(x * x)
    return [tape.gradient(y, x)]


def case_persistent_and_reuse_error(tf, np):
    x = tf.Variable(_data(np, 4))
    with tf.GradientTape(persistent=True) as tape:
        y = tf.reduce_sum(x ** 2)
        z = tf.reduce_sum(tf.sqrt(x * x + 1.0))
    out = [tape.gradient(y, x), tape.gradient(z, x), tape.gradient(y, x)]
    with tf.GradientTape() as once:
        y = tf.reduce_sum(x ** 2)
    out.append(once.gradient(y, x))
    out.append(catch(lambda: once.gradient(y, x)))
    return out


def case_watch_accessed_variables_false(tf, np):
    a = tf.Variable(_data(np, 3))
    b = tf.Variable(_data(np, 3, seed=5))
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(a)
        y = tf.reduce_sum(a * b)
    return tape.gradient(y, [a, b])


def case_stop_recording(tf, np):
    v = tf.Variable(_data(np, 3))
    with tf.GradientTape(persistent=True) as tape:
        y = tf.reduce_sum(v * v)
        with tape.stop_recording():
            z = tf.reduce_sum(v * 3.0)
        w = y + z
    return [tape.gradient(y, v), tape.gradient(z, v), tape.gradient(w, v)]


def case_second_order_nested_tapes(tf, np):
    x = tf.Variable(_data(np, 4))
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = tf.reduce_sum(x ** 3 * tf.exp(x))
        dy = inner.gradient(y, x)
    d2y = outer.gradient(dy, x)
    return [dy, d2y]


def case_second_order_persistent_single_tape(tf, np):
    x = tf.constant(_data(np, 3))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.reduce_sum(x ** 4)
        dy = tape.gradient(y, x)
    return [dy, tape.gradient(dy, x)]


def case_third_order(tf, np):
    x = tf.constant(_data(np, 3))
    with tf.GradientTape() as t3:
        t3.watch(x)
        with tf.GradientTape() as t2:
            t2.watch(x)
            with tf.GradientTape() as t1:
                t1.watch(x)
                y = tf.reduce_sum(tf.exp(2.0 * x) * x)
            g1 = t1.gradient(y, x)
        g2 = t2.gradient(g1, x)
    return [g1, g2, t3.gradient(g2, x)]


def _critic(tf, x, w1, b1, w2):
    h = tf.nn.sigmoid(tf.matmul(x, w1) + b1)
    return tf.matmul(h, w2)


def case_wgan_gp_gradient_penalty(tf, np):
    w1 = tf.Variable(_data(np, 6, 8, seed=6))
    b1 = tf.Variable(_data(np, 8, seed=7))
    w2 = tf.Variable(_data(np, 8, 1, seed=8))
    real = tf.constant(_data(np, 5, 6, seed=9))
    fake = tf.constant(_data(np, 5, 6, seed=10))
    alpha = tf.constant(np.random.RandomState(11).uniform(0, 1, (5, 1)).astype("float32"))
    with tf.GradientTape() as d_tape:
        interpolated = real + alpha * (fake - real)
        with tf.GradientTape() as gp_tape:
            gp_tape.watch(interpolated)
            pred = _critic(tf, interpolated, w1, b1, w2)
        grads = gp_tape.gradient(pred, [interpolated])[0]
        norm = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=1))
        gp = tf.reduce_mean((norm - 1.0) ** 2)
        d_loss = (tf.reduce_mean(_critic(tf, fake, w1, b1, w2))
                  - tf.reduce_mean(_critic(tf, real, w1, b1, w2)) + 10.0 * gp)
    return [gp, d_loss, d_tape.gradient(d_loss, [w1, b1, w2])]


def case_gan_two_tapes_one_forward(tf, np):
    g = tf.Variable(_data(np, 3, 3, seed=12))
    d = tf.Variable(_data(np, 3, 1, seed=13))
    z = tf.constant(_data(np, 4, 3, seed=14))
    with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
        fake = tf.matmul(z, g)
        score = tf.nn.sigmoid(tf.matmul(fake, d))
        g_loss = -tf.reduce_mean(tf.math.log(score))
        d_loss = -tf.reduce_mean(tf.math.log(1.0 - score))
    return [g_tape.gradient(g_loss, g), d_tape.gradient(d_loss, d)]


def case_jacobian(tf, np):
    x = tf.Variable(_data(np, 3))
    w = tf.Variable(_data(np, 3, 2, seed=15))
    with tf.GradientTape(persistent=True) as tape:
        y = tf.nn.sigmoid(tf.matmul(tf.reshape(x, (1, 3)), w)) * 2.0
    jx = tape.jacobian(y, x)
    jw = tape.jacobian(y, [w])
    return [jx, jw, tape.jacobian(y, tf.Variable(1.0))]


def case_batch_jacobian(tf, np):
    x = tf.constant(_data(np, 4, 3, seed=16))
    w = tf.constant(_data(np, 3, 2, seed=17))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.sigmoid(tf.matmul(x, w)) * tf.reduce_sum(x, axis=1, keepdims=True)
    return [tape.batch_jacobian(y, x)]


def case_custom_gradient(tf, np):
    @tf.custom_gradient
    def clip_grad(x):
        def grad(upstream):
            return upstream * 0.5
        return x * x, grad

    x = tf.constant(_data(np, 3))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(clip_grad(x) * 3.0)
    return [tape.gradient(y, x)]


def case_cond_and_while_loop_gradients(tf, np):
    x = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        y = tf.cond(x > 1.0, lambda: x * x, lambda: x * 3.0)
        i, acc = tf.while_loop(lambda i, acc: i < 4, lambda i, acc: (i + 1, acc * x),
                               (tf.constant(0), tf.constant(1.0)))
    return [y, tape.gradient(y, x), i, acc, tape.gradient(acc, x)]


def case_keras_dense_and_conv_weights(tf, np):
    dense = tf.keras.layers.Dense(3, activation="sigmoid")
    conv = tf.keras.layers.Conv2D(2, 3, padding="same")
    x = tf.constant(_data(np, 2, 5, 5, 3, seed=18))
    conv.build((None, 5, 5, 3))
    dense.build((None, 50))
    conv.set_weights([_data(np, 3, 3, 3, 2, seed=19), _data(np, 2, seed=20)])
    dense.set_weights([_data(np, 50, 3, seed=21), _data(np, 3, seed=22)])
    with tf.GradientTape() as tape:
        h = tf.reshape(conv(x), (2, 50))
        loss = tf.reduce_sum(dense(h) ** 2)
    weights = conv.trainable_weights + dense.trainable_weights
    grads = tape.gradient(loss, weights)
    return [[tuple(w.shape) for w in weights], grads]


def case_keras_model_training_steps(tf, np):
    model = tf.keras.Sequential([tf.keras.layers.Dense(4, activation="relu"),
                                 tf.keras.layers.Dense(1)])
    model.build((None, 3))
    model.set_weights([_data(np, 3, 4, seed=23), _data(np, 4, seed=24),
                       _data(np, 4, 1, seed=25), _data(np, 1, seed=26)])
    optimizer = tf.keras.optimizers.SGD(learning_rate=0.1)
    x = tf.constant(_data(np, 8, 3, seed=27))
    y = tf.constant(_data(np, 8, 1, seed=28))
    losses = []
    for _ in range(3):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(x, training=True) - y))
        grads = tape.gradient(loss, model.trainable_weights)
        optimizer.apply_gradients(zip(grads, model.trainable_weights))
        losses.append(loss)
    return [losses, model.get_weights(), int(optimizer.iterations.numpy())]


def case_variable_updates_by_optimizer(tf, np):
    v = tf.Variable(_data(np, 3), name="v")
    opt = tf.keras.optimizers.Adam(learning_rate=0.05)
    for _ in range(2):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(v ** 2)
        opt.apply_gradients([(tape.gradient(loss, v), v)])
    return [v.numpy(), v.name]


def case_keras_batchnorm_embedding_and_lstm_weights(tf, np):
    emb = tf.keras.layers.Embedding(10, 4)
    lstm = tf.keras.layers.LSTM(3)
    bn = tf.keras.layers.BatchNormalization()
    ids = tf.constant([[1, 2, 3], [4, 1, 9]])
    emb.build((None, 3))
    lstm.build((None, 3, 4))
    bn.build((None, 3))
    emb.set_weights([_data(np, 10, 4, seed=29)])
    lstm.set_weights([_data(np, 4, 12, seed=30), _data(np, 3, 12, seed=31),
                      _data(np, 12, seed=32)])
    with tf.GradientTape() as tape:
        h = bn(lstm(emb(ids)), training=True)
        loss = tf.reduce_sum(h * tf.constant([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]]))
    weights = emb.trainable_weights + lstm.trainable_weights + bn.trainable_weights
    grads = tape.gradient(loss, weights)
    return [[tuple(w.shape) for w in weights], [tf.convert_to_tensor(g) for g in grads],
            bn.moving_mean]


def case_keras_conv_critic_gradient_penalty(tf, np):
    conv = tf.keras.layers.Conv2D(3, 3, padding="same", activation="tanh")
    dense = tf.keras.layers.Dense(1)
    conv.build((None, 6, 6, 2))
    dense.build((None, 108))
    conv.set_weights([_data(np, 3, 3, 2, 3, seed=33), _data(np, 3, seed=34)])
    dense.set_weights([_data(np, 108, 1, seed=35), _data(np, 1, seed=36)])
    real = tf.constant(_data(np, 4, 6, 6, 2, seed=37))
    fake = tf.constant(_data(np, 4, 6, 6, 2, seed=38))
    alpha = tf.constant(np.random.RandomState(39).uniform(0, 1, (4, 1, 1, 1)).astype("float32"))

    def critic(x):
        return dense(tf.reshape(conv(x), (4, 108)))

    with tf.GradientTape() as tape:
        mixed = real + alpha * (fake - real)
        with tf.GradientTape() as gp_tape:
            gp_tape.watch(mixed)
            pred = critic(mixed)
        grads = gp_tape.gradient(pred, mixed)
        norm = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=[1, 2, 3]))
        gp = tf.reduce_mean((norm - 1.0) ** 2)
        loss = tf.reduce_mean(critic(fake)) - tf.reduce_mean(critic(real)) + 10.0 * gp
    return [gp, tape.gradient(loss, conv.trainable_weights + dense.trainable_weights)]
