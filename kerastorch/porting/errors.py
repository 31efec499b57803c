"""The errors a ported script gets when it reaches a Keras or TensorFlow API kerastorch lacks."""


class NotSupportedError(NotImplementedError):
    """A Keras/TensorFlow API that kerastorch does not provide (yet)."""

    def __init__(self, api, detail=""):
        self.api = api
        message = f"{api} is not supported yet by kerastorch"
        super().__init__(message + (f" ({detail})" if detail else "") + ".")


class NotSupportedAttributeError(NotSupportedError, AttributeError):
    """Raised by `getattr` on a ported module, so `hasattr(keras, "x")` is False for missing x."""


class NotSupportedImportError(NotSupportedError, ImportError):
    """Raised by `import` / `from ... import` of a module or name kerastorch lacks."""

    def __init__(self, api, detail=""):
        NotSupportedError.__init__(self, api, detail)
        self.name = api
