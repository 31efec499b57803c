"""Keras 2's `keras.preprocessing` (text, sequence, image), as Keras 3 keeps it in
`keras.src.legacy.preprocessing`; the public names live in `kerastorch.preprocessing`."""
