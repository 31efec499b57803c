"""Porting tools: run a Keras script unchanged (`kerastorch run`), rewrite it
(`kerastorch port`), and leave for plain torch (`to_torch`, ONNX export)."""

from kerastorch.porting.errors import NotSupportedAttributeError  # noqa: F401
from kerastorch.porting.errors import NotSupportedError  # noqa: F401
from kerastorch.porting.errors import NotSupportedImportError  # noqa: F401
from kerastorch.porting.hook import keras_import_hook  # noqa: F401
from kerastorch.porting.run import run_script  # noqa: F401
