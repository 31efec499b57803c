"""`tf.errors`: TensorFlow's exception classes, raised by the assertions and control flow of
this package (`tf.debugging.assert_*`, `tf.case`) so a script's `except` clauses still match."""

from kerastorch.porting.errors import NotSupportedAttributeError


class OpError(Exception):
    """`tf.errors.OpError`: the base of TensorFlow's runtime errors."""

    def __init__(self, node_def=None, op=None, message=None, *args):
        if message is None and op is None and node_def is not None:
            message, node_def = node_def, None  # OpError("message"), as scripts raise it
        super().__init__(message)
        self.node_def, self.op, self.message = node_def, op, message

    def __str__(self):
        return str(self.message)


def _error(name, doc):
    return type(name, (OpError,), {"__doc__": doc, "__module__": __name__})


InvalidArgumentError = _error("InvalidArgumentError", "An argument or value was invalid.")
NotFoundError = _error("NotFoundError", "A file or entity was not found.")
OutOfRangeError = _error("OutOfRangeError", "Iteration went past the end (a dataset).")
ResourceExhaustedError = _error("ResourceExhaustedError", "Out of memory or another resource.")
UnimplementedError = _error("UnimplementedError", "The operation is not implemented.")
FailedPreconditionError = _error("FailedPreconditionError", "The system is not in the state "
                                                             "the operation needs.")
AlreadyExistsError = _error("AlreadyExistsError", "The entity already exists.")
InternalError = _error("InternalError", "An internal invariant broke.")
UnknownError = _error("UnknownError", "An unknown error.")
CancelledError = _error("CancelledError", "The operation was cancelled.")
DataLossError = _error("DataLossError", "Data was lost or corrupted.")
AbortedError = _error("AbortedError", "The operation was aborted.")
PermissionDeniedError = _error("PermissionDeniedError", "Permission denied.")
UnavailableError = _error("UnavailableError", "The service is unavailable.")
UnauthenticatedError = _error("UnauthenticatedError", "The request is not authenticated.")
DeadlineExceededError = _error("DeadlineExceededError", "The deadline passed.")


def __getattr__(name):
    raise NotSupportedAttributeError(f"tensorflow.errors.{name}")
