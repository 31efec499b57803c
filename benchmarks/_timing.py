"""Shared timing helper: interleaved repeats, median per-call seconds."""

import statistics
import time

import torch


def median_time(fns, number, repeats):
    """Times each callable `number` times per repeat, interleaving them; returns medians (s)."""
    for fn in fns:  # warm up
        for _ in range(max(2, number // 10)):
            fn()
    samples = [[] for _ in fns]
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            for _ in range(number):
                fn()
            samples[i].append((time.perf_counter() - start) / number)
    return [statistics.median(s) for s in samples]


def header():
    return (f"torch {torch.__version__}, threads={torch.get_num_threads()}, "
            f"device=cpu")
