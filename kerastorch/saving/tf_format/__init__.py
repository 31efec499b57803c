"""Reading TensorFlow SavedModel directories and TF-format checkpoints without TensorFlow."""
