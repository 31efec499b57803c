"""`keras.utils.PyDataset` (and its Keras 2 name `Sequence`): batches by index."""


class PyDataset:
    """Base class for datasets that return whole batches by index; `fit` accepts them.

    Subclasses define `__len__` (the number of batches) and `__getitem__(index)` returning a
    batch `(x, y)` or `(x, y, sample_weight)`; `on_epoch_end()` runs after each epoch.

    Args:
        workers, use_multiprocessing, max_queue_size: accepted for compatibility; batches are
            produced in the main process.

    Example:
        >>> class Batches(keras.utils.PyDataset):
        ...     def __init__(self, x, y, batch_size, **kwargs):
        ...         super().__init__(**kwargs)
        ...         self.x, self.y, self.batch_size = x, y, batch_size
        ...     def __len__(self):
        ...         return -(-len(self.x) // self.batch_size)
        ...     def __getitem__(self, i):
        ...         s = slice(i * self.batch_size, (i + 1) * self.batch_size)
        ...         return self.x[s], self.y[s]
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    @property
    def workers(self):
        return self._workers

    @property
    def use_multiprocessing(self):
        return self._use_multiprocessing

    @property
    def max_queue_size(self):
        return self._max_queue_size

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must define `__getitem__`.")

    def __len__(self):
        raise NotImplementedError(f"{type(self).__name__} must define `__len__`.")

    @property
    def num_batches(self):
        """The number of batches (`len(self)`), or None when it is not known."""
        try:
            return len(self)
        except (NotImplementedError, TypeError):
            return None

    def on_epoch_begin(self):
        pass

    def on_epoch_end(self):
        pass

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]


Sequence = PyDataset
