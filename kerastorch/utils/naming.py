"""Names Keras derives from class names (Keras's `keras/src/utils/naming.py`)."""

import re


def to_snake_case(name, private_prefix=False):
    """A class name in snake case, as Keras names objects after their class.

    With `private_prefix`, a name that would start with an underscore starts with "private"
    instead, as tf.keras 2 names layers (`_Foo` -> `private__foo`).

    Example:
        >>> to_snake_case("MeanSquaredError")
        'mean_squared_error'
        >>> to_snake_case("Conv2DTranspose")
        'conv2d_transpose'
    """
    name = re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    name = re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()
    return "private" + name if private_prefix and name[:1] == "_" else name
