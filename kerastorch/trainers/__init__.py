"""The training API mixed into `Model`: `trainer.py` (compile / fit / evaluate / predict and the
batch loop they share), `compile_utils.py` (the compiled losses and metrics), `epoch_iterator.py`
(an epoch's batches on the device) and `data_adapters/` (what `fit` accepts, as batches)."""
