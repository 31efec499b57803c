"""Core layers: Dense, EinsumDense, Embedding, Identity, Input, Lambda, Masking, TFOpLambda,
TorchModuleWrapper."""

from kerastorch.layers.core.dense import Dense
from kerastorch.layers.core.einsum_dense import EinsumDense
from kerastorch.layers.core.embedding import Embedding
from kerastorch.layers.core.identity import Identity
from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.core.input_layer import InputLayer
from kerastorch.layers.core.lambda_layer import Lambda
from kerastorch.layers.core.masking import Masking
from kerastorch.layers.core.tf_op_lambda import TFOpLambda
from kerastorch.layers.core.torch_module_wrapper import TorchModuleWrapper
