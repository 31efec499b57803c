"""Recurrent layers: SimpleRNN, LSTM, GRU, and the Bidirectional and TimeDistributed wrappers."""

from kerastorch.layers.rnn.bidirectional import Bidirectional
from kerastorch.layers.rnn.gru import GRU
from kerastorch.layers.rnn.lstm import LSTM
from kerastorch.layers.rnn.simple_rnn import SimpleRNN
from kerastorch.layers.rnn.time_distributed import TimeDistributed
