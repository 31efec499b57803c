"""keras.callbacks: hooks into `fit` / `evaluate` / `predict`, with Keras's built-in callbacks.

A callback receives `logs` dicts of Python floats. Batch-level logs are computed only when some
callback overrides a batch hook, so a plain `fit` does no per-batch host work. One callback a
module, as in Keras 3 (`keras/src/callbacks/`).
"""

from kerastorch.callbacks.callback import Callback
from kerastorch.callbacks.callback_list import CallbackList
from kerastorch.callbacks.csv_logger import CSVLogger
from kerastorch.callbacks.early_stopping import EarlyStopping
from kerastorch.callbacks.history import History
from kerastorch.callbacks.lambda_callback import LambdaCallback
from kerastorch.callbacks.learning_rate_scheduler import LearningRateScheduler
from kerastorch.callbacks.model_checkpoint import ModelCheckpoint
from kerastorch.callbacks.progbar_logger import ProgbarLogger
from kerastorch.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from kerastorch.callbacks.tensorboard import TensorBoard
from kerastorch.callbacks.terminate_on_nan import TerminateOnNaN
from kerastorch.utils.progbar import Progbar  # Keras 2's `keras.callbacks.Progbar` path
