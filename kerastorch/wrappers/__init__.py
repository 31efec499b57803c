"""`keras.wrappers`: Keras 2's scikit-learn wrappers (`keras.wrappers.scikit_learn`)."""
