"""compile / fit / evaluate / predict: Keras's training API on a plain torch training step."""


class Trainer:
    """Mixed into `Model`: training, evaluation and inference."""
