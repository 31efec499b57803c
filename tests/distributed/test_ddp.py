"""fit/evaluate/predict under torchrun with 2 CPU processes (gloo) equal one process."""

import os
import socket
import subprocess
import sys

import numpy as np
import pytest
import torch

WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ddp_worker.py")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(out, *extra, nproc=None, check=True):
    env = dict(os.environ, OMP_NUM_THREADS="1", KERASTORCH_DIST_TIMEOUT="60")
    env.pop("CUDA_VISIBLE_DEVICES", None)
    if nproc:
        cmd = [sys.executable, "-m", "torch.distributed.run", f"--nproc_per_node={nproc}",
               "--master_addr=127.0.0.1", f"--master_port={free_port()}", WORKER, str(out)]
    else:
        cmd = [sys.executable, WORKER, str(out)]
    proc = subprocess.run(cmd + list(extra), env=env, capture_output=True, text=True, timeout=300)
    if check and proc.returncode != 0:
        raise AssertionError(f"{cmd} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


def load(out, rank=0):
    return torch.load(os.path.join(out, f"rank{rank}", "result.pt"), weights_only=False)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    single = tmp_path_factory.mktemp("single")
    double = tmp_path_factory.mktemp("ddp")
    run(single, "--samples", "50")
    proc = run(double, "--samples", "50", nproc=2)
    return single, double, proc


def test_two_processes_train_like_one(runs):
    single, double, _ = runs
    alone, r0, r1 = load(single), load(double, 0), load(double, 1)
    for a, b, c in zip(alone["weights"], r0["weights"], r1["weights"], strict=True):
        np.testing.assert_allclose(b, a, atol=1e-5)
        np.testing.assert_array_equal(b, c)


def test_history_and_evaluation_hold_global_figures_on_every_rank(runs):
    single, double, _ = runs
    alone, r0, r1 = load(single), load(double, 0), load(double, 1)
    assert set(r0["history"]) == set(alone["history"]) >= {"loss", "accuracy", "val_loss",
                                                           "val_accuracy"}
    for key, values in alone["history"].items():
        np.testing.assert_allclose(r0["history"][key], values, atol=1e-5, err_msg=key)
        np.testing.assert_allclose(r1["history"][key], values, atol=1e-5, err_msg=key)
    for key, value in alone["evaluation"].items():
        assert r0["evaluation"][key] == pytest.approx(value, abs=1e-5)
        assert r1["evaluation"][key] == pytest.approx(value, abs=1e-5)


def test_predict_returns_all_samples_in_order_on_every_rank(runs):
    single, double, _ = runs
    alone = load(single)["predictions"]
    for rank in (0, 1):
        np.testing.assert_allclose(load(double, rank)["predictions"], alone, atol=1e-5)


def test_only_rank_zero_prints_and_writes_files(runs):
    _, double, proc = runs
    for name in ("log.csv", "final.weights.h5"):
        assert os.path.exists(os.path.join(double, "rank0", name))
        assert not os.path.exists(os.path.join(double, "rank1", name))
    assert proc.stdout.count("Epoch 1/2") == 1


def test_uneven_dataset_sizes(tmp_path):
    """The module's runs use 50 samples, so their last global batch is 2 samples (one per rank)
    and they still equal one process. With 51, DistributedSampler repeats a sample to even the
    ranks; all 51 predictions come back once, in order, and the ranks agree."""
    run(tmp_path, "--samples", "51", nproc=2)
    assert load(tmp_path, 0)["predictions"].shape == (51, 3)
    np.testing.assert_array_equal(load(tmp_path, 0)["predictions"],
                                  load(tmp_path, 1)["predictions"])


def test_synchronized_batch_normalization_trains_like_one_process(tmp_path):
    """DataParallel(sync_batchnorm=True): batch statistics over both processes' samples, so the
    weights and moving statistics equal one process on the global batch."""
    single, double = tmp_path / "single", tmp_path / "ddp"
    run(single, "--sync-bn")
    run(double, "--sync-bn", nproc=2)
    alone, r0 = load(single), load(double)
    assert len(alone["weights"]) == 8  # two Dense layers and BatchNormalization's four
    for a, b in zip(alone["weights"], r0["weights"], strict=True):
        np.testing.assert_allclose(b, a, atol=1e-5)


@pytest.mark.skipif(torch.cuda.device_count() < 2, reason="needs 2 CUDA GPUs (NCCL)")
def test_nccl_on_two_gpus_trains_like_one_process(tmp_path):
    single, double = tmp_path / "single", tmp_path / "ddp"
    run(single, "--samples", "50")
    run(double, "--samples", "50", nproc=2)
    for a, b in zip(load(single)["weights"], load(double)["weights"], strict=True):
        np.testing.assert_allclose(b, a, atol=1e-5)


def test_a_failing_rank_ends_the_job_with_its_error(tmp_path):
    proc = run(tmp_path, "--fail-rank", "1", nproc=2, check=False)
    assert proc.returncode != 0
    assert "rank 1 fails on purpose" in proc.stdout + proc.stderr


def test_ddp_wrapped_by_hand_around_a_kerastorch_model(tmp_path):
    """A plain torch loop, DistributedDataParallel added by hand, Keras loss/metric/optimizer
    objects: 2 processes on half batches end with one process's weights."""
    worker = os.path.join(os.path.dirname(WORKER), "ddp_manual_worker.py")
    env = dict(os.environ, OMP_NUM_THREADS="1")
    subprocess.run([sys.executable, worker, str(tmp_path / "one")], env=env, check=True,
                   capture_output=True, timeout=300)
    proc = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--nproc_per_node=2",
                           "--master_addr=127.0.0.1", f"--master_port={free_port()}", worker,
                           str(tmp_path / "two")], env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    one = torch.load(tmp_path / "one" / "result.pt", weights_only=False)
    two = torch.load(tmp_path / "two" / "result.pt", weights_only=False)
    assert one["iterations"] == two["iterations"] == 8
    for a, b in zip(one["weights"], two["weights"], strict=True):
        np.testing.assert_allclose(b, a, atol=1e-5)
