"""APIs that Keras 3 keeps only for Keras 2 scripts (`keras.src.legacy`): the implementations
behind `keras.preprocessing.text`, `.sequence` and `.image`, and Keras 2's `keras.backend`
functions (`backend.py`)."""
