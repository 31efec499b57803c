"""Data-parallel training on torch.distributed: what `fit` does when launched under `torchrun`.

The torch side of `keras.distribution` (`distribution_lib.py` is the Keras-facing API); the
adapters that give each rank its share of the data are in
`trainers/data_adapters/sharded_data_adapter.py`.

Nothing here is hand-written collective code: the process group, DistributedDataParallel,
DistributedSampler and `all_reduce` / `all_gather_object` are torch's. The trainer asks three
questions of this module (`active()`, `rank()`, `world_size()`) and uses four helpers:
`wrap(model)`, `sampler(n, shuffle, seed)`, `reduce_metric_states(metrics)` and
`gather_in_order(chunks, indices)`.

`batch_size` is the *global* batch, as in Keras's distribution API: each of N processes takes
`batch_size / N` samples of every step, so N processes train exactly as one process would.
"""

import atexit
import datetime
import os
import sys

import torch
import torch.distributed as dist

from kerastorch import backend
from kerastorch import tree

_DISTRIBUTION = None  # set by keras.distribution.set_distribution


def current_distribution():
    """The `keras.distribution` distribution in effect (None: one process, one device)."""
    return _DISTRIBUTION


def set_current_distribution(value):
    """Records `value` (validated by `keras.distribution.set_distribution`) for fit to use."""
    global _DISTRIBUTION
    _DISTRIBUTION = value


def launched():
    """True when started by torchrun (or another launcher) with more than one process."""
    return int(os.environ.get("WORLD_SIZE", "1")) > 1 and "RANK" in os.environ


def active():
    """True when fit/evaluate/predict should run data-parallel (under torchrun)."""
    if dist.is_available() and dist.is_initialized():
        return dist.get_world_size() > 1
    if launched():
        return True
    if _DISTRIBUTION is not None and len(_DISTRIBUTION.devices) > 1:
        n = len(_DISTRIBUTION.devices)
        raise RuntimeError(f"keras.distribution.DataParallel over {n} devices needs one process "
                           f"per device: launch the script with `torchrun --nproc_per_node={n} "
                           "script.py`.")
    return False


def ensure_initialized():
    """Initialises the default process group once: nccl on CUDA, gloo on CPU, with a timeout,
    so a rank that dies ends the job instead of hanging it."""
    if not dist.is_available():
        raise RuntimeError("torch.distributed is not available in this build of torch.")
    if dist.is_initialized():
        return
    cuda = device().type == "cuda"
    if cuda:
        torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", "0")))
    seconds = int(os.environ.get("KERASTORCH_DIST_TIMEOUT", "600"))
    dist.init_process_group("nccl" if cuda else "gloo",
                            timeout=datetime.timedelta(seconds=seconds))
    atexit.register(_shutdown)


def _shutdown():
    """Tears down the group we created, so no backend thread outlives the interpreter (gloo
    aborts the process otherwise). After a normal exit the ranks first wait for each other (a
    rank tearing down while another still sends aborts with "terminate called without an active
    exception"); after an uncaught exception they do not, so a failing rank ends the job."""
    if not dist.is_initialized():
        return
    if getattr(sys, "last_value", None) is None and dist.get_backend() == "gloo":
        try:
            dist.monitored_barrier(timeout=datetime.timedelta(seconds=60))
        except RuntimeError:
            pass  # another rank is gone: tear down anyway
    dist.destroy_process_group()


def rank():
    return dist.get_rank() if dist.is_available() and dist.is_initialized() else \
        int(os.environ.get("RANK", "0"))


def world_size():
    return dist.get_world_size() if dist.is_available() and dist.is_initialized() else \
        int(os.environ.get("WORLD_SIZE", "1"))


def is_chief():
    """Rank 0: the one process that prints and writes files."""
    return rank() == 0


def device():
    """This rank's device: its own GPU (LOCAL_RANK) on CUDA, else the default device."""
    chosen = backend.device_override()
    if chosen is not None:
        return chosen
    if torch.cuda.is_available():
        return torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
    return torch.device("cpu")


def wrap(model, sync_batchnorm=False):
    """The model in DistributedDataParallel (parameters broadcast from rank 0 on wrapping)."""
    from torch.nn.parallel import DistributedDataParallel
    from kerastorch.layers.normalization.batch_normalization import BatchNormalization
    if sync_batchnorm or getattr(_DISTRIBUTION, "sync_batchnorm", False):
        for module in model.modules():
            if isinstance(module, BatchNormalization):
                module.synchronized = True
    dev = next(iter(model.parameters())).device
    ids = [dev.index] if dev.type == "cuda" else None
    return DistributedDataParallel(model, device_ids=ids)


def sampler(num_samples, shuffle, seed=0, drop_last=False):
    """A DistributedSampler over `range(num_samples)`: this rank's indices, reshuffled by
    `set_epoch`. Without shuffling, rank r gets r, r + N, r + 2N, ..., so batch k of every rank
    together is exactly batch k of a single process."""
    from torch.utils.data import DistributedSampler
    return DistributedSampler(range(num_samples), num_replicas=world_size(), rank=rank(),
                              shuffle=bool(shuffle), seed=seed, drop_last=drop_last)


def per_rank_batch_size(global_batch_size):
    n = world_size()
    if global_batch_size % n:
        raise ValueError(f"batch_size={global_batch_size} is the global batch and must divide "
                         f"evenly among the {n} processes.")
    return global_batch_size // n


def reduce_metric_states(metrics):
    """Sums every metric's state across ranks (totals and counts), so `result()` is global.

    Returns the local states, to put back with `restore_metric_states` after reading."""
    saved = []
    for metric in metrics:
        if not hasattr(metric, "variables") and hasattr(metric, "count"):  # the loss tracker
            saved.append((None if metric.total is None else metric.total.clone(), metric.count))
            total = metric.total if metric.total is not None else torch.zeros(())
            count = torch.tensor(float(metric.count), dtype=torch.float64)
            dist.all_reduce(total, op=dist.ReduceOp.SUM)
            dist.all_reduce(count, op=dist.ReduceOp.SUM)
            metric.total, metric.count = total, float(count)
            continue
        states = _metric_states(metric)
        saved.append([t.clone() for t in states])
        for t in states:
            dist.all_reduce(t, op=dist.ReduceOp.SUM)
    return saved


def restore_metric_states(metrics, saved):
    for metric, state in zip(metrics, saved):
        if isinstance(state, tuple):
            metric.total, metric.count = state
            continue
        for t, value in zip(_metric_states(metric), state):
            t.copy_(value)


def _metric_states(metric):
    out = []
    for v in getattr(metric, "variables", []):
        t = getattr(v, "value", v)
        if isinstance(t, torch.Tensor):
            out.append(t)
    return out


def global_logs(model):
    """The model's metric values over every rank's samples."""
    metrics = model.metrics
    saved = reduce_metric_states(metrics)
    try:
        return model._logs()
    finally:
        restore_metric_states(metrics, saved)


_CHIEF_ONLY = ("ModelCheckpoint", "CSVLogger", "TensorBoard", "BackupAndRestore")


def chief_callbacks(callbacks):
    """The callbacks this rank runs: all on rank 0; on the others, none that write files."""
    if callbacks is None or is_chief():
        return callbacks
    return [c for c in callbacks
            if not any(k.__name__ in _CHIEF_ONLY for k in type(c).__mro__)]


def gather_batches(outputs):
    """Every rank's per-batch outputs, joined batch by batch in rank order: the original order."""
    local = [tree.map_structure(lambda t: t.cpu(), o) for o in outputs]
    gathered = [None] * world_size()
    dist.all_gather_object(gathered, local)
    merged = []
    for parts in zip(*gathered):
        if isinstance(parts[0], torch.Tensor):
            merged.append(torch.cat(parts))
        else:
            flat = [tree.flatten(p) for p in parts]
            cat = [torch.cat([f[i] for f in flat]) for i in range(len(flat[0]))]
            merged.append(tree.pack_sequence_as(parts[0], cat))
    return merged


def barrier():
    if dist.is_available() and dist.is_initialized():
        dist.barrier()
