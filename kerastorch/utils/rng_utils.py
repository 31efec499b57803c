"""`keras.utils.set_random_seed`: seeds Python, numpy and torch, and resets keras.random."""

from kerastorch import backend


def set_random_seed(seed):
    """Seeds Python's, numpy's and torch's generators and resets the global `SeedGenerator`
    of `keras.random`, so unseeded `keras.random` calls repeat after each call.

    Args:
        seed: an int.
    """
    backend.set_random_seed(seed)
    from kerastorch import random
    random.reset_global_seed_generator()
