"""Activation layers: Activation, ELU, LeakyReLU, PReLU, ReLU, Softmax, ThresholdedReLU."""

from kerastorch.layers.activations.activation import Activation
from kerastorch.layers.activations.activation_layers import ELU
from kerastorch.layers.activations.activation_layers import LeakyReLU
from kerastorch.layers.activations.activation_layers import PReLU
from kerastorch.layers.activations.activation_layers import ReLU
from kerastorch.layers.activations.activation_layers import Softmax
from kerastorch.layers.activations.activation_layers import ThresholdedReLU
