"""Regularization layers: ActivityRegularization, AlphaDropout, Dropout, GaussianDropout,
GaussianNoise, SpatialDropout."""
