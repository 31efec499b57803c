"""tf.errors on torch: the exception classes TensorFlow's ops raise, so that a script's
`except tf.errors.InvalidArgumentError` catches what the ops here raise for the same mistakes
(mismatched dtypes, incompatible shapes, indices out of range)."""

from kerastorch.porting.errors import NotSupportedAttributeError


class OpError(Exception):
    """tf.errors.OpError: the base of the errors a TensorFlow op raises when it runs."""

    def __init__(self, node_def=None, op=None, message=None, *args):
        if message is None and op is None and isinstance(node_def, str):
            node_def, message = None, node_def  # OpError("text"), the usual call here
        super().__init__(message)
        self.node_def, self.op, self.message = node_def, op, message


class InvalidArgumentError(OpError):
    """An op received an argument of the wrong dtype, shape or value."""


class OutOfRangeError(OpError):
    """An iterator or index ran past its end."""


class NotFoundError(OpError):
    """A file or resource does not exist."""


class UnimplementedError(OpError):
    """The op exists but not for these arguments."""


class ResourceExhaustedError(OpError):
    """Out of memory or another resource."""


class FailedPreconditionError(OpError):
    """The op ran on state that is not ready (an uninitialised variable...)."""


def __getattr__(name):
    raise NotSupportedAttributeError(f"tensorflow.errors.{name}")
