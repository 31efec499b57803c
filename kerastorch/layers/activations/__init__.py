"""Activation layers: Activation, ELU, LeakyReLU, PReLU, ReLU, Softmax, ThresholdedReLU."""
