"""Porting tools: run a Keras script unchanged (`kerastorch run`), rewrite it
(`kerastorch port`), and leave for plain torch (`to_torch`, ONNX export)."""

from kerastorch.porting.errors import NotSupportedAttributeError
from kerastorch.porting.errors import NotSupportedError
from kerastorch.porting.errors import NotSupportedImportError
from kerastorch.porting.hook import keras_import_hook
from kerastorch.porting.run import run_script
