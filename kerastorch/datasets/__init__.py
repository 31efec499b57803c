"""keras.datasets: Keras's small datasets, read from Keras's cache (`$KERAS_HOME/datasets` or
`~/.keras/datasets`) with Keras's file names and hashes, as numpy arrays."""

from kerastorch.datasets import boston_housing
from kerastorch.datasets import cifar10
from kerastorch.datasets import cifar100
from kerastorch.datasets import fashion_mnist
from kerastorch.datasets import imdb
from kerastorch.datasets import mnist
from kerastorch.datasets import reuters
