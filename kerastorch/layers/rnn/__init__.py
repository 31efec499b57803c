"""Recurrent layers: SimpleRNN, LSTM, GRU, and the Bidirectional and TimeDistributed wrappers."""

from kerastorch.layers.rnn.bidirectional import Bidirectional
from kerastorch.layers.rnn.gru import GRU
from kerastorch.layers.rnn.lstm import LSTM
from kerastorch.layers.rnn.simple_rnn import SimpleRNN
from kerastorch.layers.rnn.time_distributed import TimeDistributed
from kerastorch.layers.rnn.cells import GRUCell
from kerastorch.layers.rnn.cells import LSTMCell
from kerastorch.layers.rnn.cells import SimpleRNNCell
from kerastorch.layers.rnn.rnn import RNN
from kerastorch.layers.rnn.stacked_rnn_cells import StackedRNNCells
