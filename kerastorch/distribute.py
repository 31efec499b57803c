"""Data-parallel training on torch.distributed: what `fit` does when launched under `torchrun`.

Nothing here is hand-written collective code: the process group, DistributedDataParallel,
DistributedSampler and `all_reduce` / `all_gather_object` are torch's. The trainer asks three
questions of this module (`active()`, `rank()`, `world_size()`) and uses four helpers:
`wrap(model)`, `sampler(n, shuffle, seed)`, `reduce_metric_states(metrics)` and
`gather_in_order(chunks, indices)`.

`batch_size` is the *global* batch, as in Keras's distribution API: each of N processes takes
`batch_size / N` samples of every step, so N processes train exactly as one process would.
"""

import datetime
import os

import torch
import torch.distributed as dist

from kerastorch import backend

_DISTRIBUTION = None  # set by keras.distribution.set_distribution


def launched():
    """True when started by torchrun (or another launcher) with more than one process."""
    return int(os.environ.get("WORLD_SIZE", "1")) > 1 and "RANK" in os.environ


def active():
    """True when fit/evaluate/predict should run data-parallel."""
    if dist.is_available() and dist.is_initialized():
        return dist.get_world_size() > 1
    return launched() or (_DISTRIBUTION is not None and _DISTRIBUTION.world_size > 1)


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
    if backend._DEVICE is not None:
        return backend._DEVICE
    if torch.cuda.is_available():
        return torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
    return torch.device("cpu")


def wrap(model, sync_batchnorm=False):
    """The model in DistributedDataParallel (parameters broadcast from rank 0 on wrapping)."""
    from torch.nn.parallel import DistributedDataParallel
    dev = next(iter(model.parameters())).device
    ids = [dev.index] if dev.type == "cuda" else None
    return DistributedDataParallel(model, device_ids=ids, broadcast_buffers=True)


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

    Returns the local states, to restore with `restore_metric_states` after logging."""
    saved = []
    for metric in metrics:
        states = _metric_states(metric)
        saved.append([s.detach().clone() for s in states])
        for s in states:
            if s.is_floating_point() or s.dtype in (torch.int32, torch.int64):
                dist.all_reduce(s, op=dist.ReduceOp.SUM)
    return saved


def restore_metric_states(metrics, saved):
    for metric, states in zip(metrics, saved):
        for s, value in zip(_metric_states(metric), states):
            s.copy_(value)


def _metric_states(metric):
    variables = getattr(metric, "variables", None)
    if variables is None:
        return []
    out = []
    for v in variables:
        t = getattr(v, "torch_tensor", None)
        t = t if t is not None else getattr(v, "value", v)
        if isinstance(t, torch.Tensor):
            out.append(t)
    return out


def gather_in_order(local_chunks, local_indices, num_samples):
    """Every rank's predictions, put back in the original sample order (padding dropped)."""
    local = torch.cat(local_chunks) if local_chunks else torch.empty(0)
    gathered = [None] * world_size()
    dist.all_gather_object(gathered, (local_indices, local.cpu()))
    order = torch.cat([torch.as_tensor(i, dtype=torch.long) for i, _ in gathered])
    values = torch.cat([v for _, v in gathered])
    out = torch.empty((num_samples,) + tuple(values.shape[1:]), dtype=values.dtype)
    out[order] = values  # padded repeats write the same value again
    return out


def barrier():
    if dist.is_available() and dist.is_initialized():
        dist.barrier()
