"""`tf.train.Checkpoint` and `CheckpointManager` for Keras models, optimizers and variables,
in kerastorch's own format.

`Checkpoint(model=model, optimizer=optimizer, step=tf.Variable(1))` saves each object under its
keyword: a model or layer as its `state_dict()`, an optimizer as its slots and step count, a
variable as its value (nested Checkpoints are saved recursively). `save(prefix)` writes
`<prefix>-<n>.index` (a small JSON header) and `<prefix>-<n>.data-00000-of-00001` (the torch
payload), and the directory's `checkpoint` file, as TensorFlow names them; `restore(path)`
loads them back, into an optimizer that is not built yet at its first step, as TensorFlow's
deferred restoration does; an unbuilt model is built by one call on zeros of the input shape
it had when saved (else a ValueError says to build it first). An iterator in the checkpoint is
accepted with a warning: its position is not saved. Checkpoints written by TensorFlow itself are read by `model.load_weights`
(kerastorch.saving), not here.
"""

import json
import os
import re
import warnings

import torch
from torch import nn

from kerastorch.porting.errors import NotSupportedAttributeError
from kerastorch.porting.tf import example as _example
from kerastorch.porting.tf import variables as _variables

_FORMAT = "kerastorch-checkpoint-1"


def _is_variable(obj):
    return hasattr(obj, "assign") and isinstance(getattr(obj, "value", None), torch.Tensor)


def _is_optimizer(obj):
    return hasattr(obj, "state_dict") and hasattr(obj, "load_state_dict") and \
        hasattr(obj, "apply_gradients")


def _is_iterator(obj):
    return hasattr(obj, "__next__") and not isinstance(obj, (torch.Tensor, nn.Module))


_warned_iterators = set()


def _warn_iterator(key):
    if key not in _warned_iterators:
        _warned_iterators.add(key)
        warnings.warn(f"tf.train.Checkpoint: {key!r} is an iterator; kerastorch does not save "
                      "an iterator's position (a restored run starts its data from the "
                      "beginning).", stacklevel=4)


def _build_like_saved(module, input_shape):
    """Creates an unbuilt model's weights by calling it once on zeros of the shape it was
    built with when saved (TensorFlow instead defers the restore until the weights exist)."""
    if input_shape is None or not all(isinstance(d, (int, type(None))) for d in input_shape):
        return
    params = list(module.parameters()) + list(module.buffers())
    device = params[0].device if params else None
    with torch.no_grad():
        try:
            module(torch.zeros(tuple(1 if d is None else d for d in input_shape), device=device))
        except Exception:  # noqa: BLE001 - not buildable this way: the restore explains
            pass


def _cpu(value):
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().clone()
    if isinstance(value, dict):
        return {k: _cpu(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_cpu(v) for v in value)
    return value


def _to_device_like(value, like):
    if isinstance(value, torch.Tensor) and isinstance(like, torch.Tensor):
        return value.to(like.device)
    return value


class _Status:
    """What `restore` returns: the checks TensorFlow offers, against what was matched."""

    def __init__(self, missing=(), unused=()):
        self._missing, self._unused = list(missing), list(unused)

    def assert_consumed(self):
        if self._missing or self._unused:
            raise AssertionError(f"Unresolved objects in the checkpoint: {self._unused}; "
                                 f"objects without saved values: {self._missing}")
        return self

    def assert_existing_objects_matched(self):
        if self._missing:
            raise AssertionError(f"Objects without saved values in the checkpoint: "
                                 f"{self._missing}")
        return self

    def assert_nontrivial_match(self):
        return self

    def expect_partial(self):
        return self

    def run_restore_ops(self, session=None):
        return None

    def initialize_or_restore(self, session=None):
        return None


class Checkpoint:
    """`tf.train.Checkpoint(root=None, **objects)` (see the module docstring)."""

    def __init__(self, root=None, **kwargs):
        objects = dict(kwargs)
        if root is not None:
            objects["root"] = root
        for key, value in objects.items():
            if value is None:
                raise ValueError(f"`Checkpoint` was expecting a trackable object (an object "
                                 f"derived from `Trackable`), got None for {key!r}.")
        self.__dict__["_objects"] = objects
        self.__dict__["save_counter"] = _variables.Variable(0, dtype="int64",
                                                            name="save_counter",
                                                            trainable=False)

    def __setattr__(self, name, value):
        if name.startswith("_") or name == "save_counter":
            self.__dict__[name] = value
        else:
            self._objects[name] = value

    def __getattr__(self, name):
        objects = self.__dict__.get("_objects", {})
        if name in objects:
            return objects[name]
        raise AttributeError(f"'Checkpoint' object has no attribute {name!r}")

    # ------------------------------------------------------------------ state
    def _state(self):
        out = {}
        for key, obj in self._objects.items():
            if _is_iterator(obj):
                _warn_iterator(key)
                continue
            if isinstance(obj, Checkpoint):
                out[key] = ("checkpoint", obj._state())
            elif _is_optimizer(obj):
                out[key] = ("optimizer", _cpu(obj.state_dict()))
            elif isinstance(obj, nn.Module):
                out[key] = ("module", _cpu(obj.state_dict()),
                            getattr(obj, "_build_input_shape", None))
            elif _is_variable(obj):
                out[key] = ("variable", _cpu(obj.value))
            elif isinstance(obj, torch.Tensor):
                out[key] = ("tensor", _cpu(obj))
            else:
                raise ValueError(f"`Checkpoint` was expecting a trackable object (a model, "
                                 f"layer, optimizer, Variable or Checkpoint) for {key!r}, got "
                                 f"{type(obj).__name__}.")
        out["save_counter"] = ("variable", _cpu(self.save_counter.value))
        return out

    def _load(self, state, where=""):
        missing, unused = [], [where + k for k in state if k not in self._objects
                                 and k != "save_counter"]
        missing += [where + k for k, obj in self._objects.items() if _is_iterator(obj)]
        for key, obj in self._objects.items():
            if key not in state:
                if not _is_iterator(obj):
                    missing.append(where + key)
                continue
            kind, value = state[key][:2]
            if kind == "checkpoint":
                m, u = obj._load(value, f"{where}{key}.")
                missing += m
                unused += u
            elif kind == "optimizer":
                obj.load_state_dict(value)
            elif kind == "module":
                if len(state[key]) > 2 and len(obj.state_dict()) < len(value):
                    _build_like_saved(obj, state[key][2])
                own = obj.state_dict()
                absent = [k for k in value if k not in own]
                if absent and len(own) < len(value):
                    raise ValueError(
                        f"Checkpoint: {where}{key} has {len(own)} weights, the checkpoint "
                        f"{len(value)} ({absent[:3]} ...): build the model first (call it on a "
                        "batch, or model.build(input_shape)), then restore; kerastorch does "
                        "not defer a restore until the weights exist, as TensorFlow does.")
                obj.load_state_dict(value)
            elif kind in ("variable", "tensor"):
                target = obj if kind == "tensor" else obj.value
                if tuple(target.shape) != tuple(value.shape):
                    raise ValueError(f"Checkpoint: {where}{key} has shape "
                                     f"{tuple(target.shape)}, the saved value "
                                     f"{tuple(value.shape)}")
                with torch.no_grad():
                    target.copy_(_to_device_like(value, target))
        if "save_counter" in state:
            with torch.no_grad():
                self.save_counter.value.copy_(state["save_counter"][1])
        return missing, unused

    # ------------------------------------------------------------------ files
    def write(self, file_prefix, options=None):
        """Writes the checkpoint at `file_prefix` exactly; returns it."""
        file_prefix = os.fspath(file_prefix)
        directory = os.path.dirname(file_prefix)
        if directory:
            os.makedirs(directory, exist_ok=True)
        torch.save(self._state(), file_prefix + ".data-00000-of-00001")
        with open(file_prefix + ".index", "w") as f:
            json.dump({"format": _FORMAT, "objects": sorted(self._objects)}, f)
        return file_prefix

    def save(self, file_prefix, options=None):
        """Writes `<file_prefix>-<n>` (n counts this Checkpoint's saves) and records it as the
        directory's latest checkpoint; returns the path."""
        with torch.no_grad():
            self.save_counter.value.add_(1)
        path = self.write(f"{os.fspath(file_prefix)}-{int(self.save_counter.value)}")
        _update_state_file(os.path.dirname(path), path, [path], append=True)
        return path

    def read(self, save_path, options=None):
        """Loads a checkpoint written by `write` or `save`; returns a status object."""
        save_path = os.fspath(save_path)
        index = save_path + ".index"
        if not os.path.exists(index):
            raise _not_found(save_path)
        with open(index, "rb") as f:
            head = f.read(64)
        if not head.lstrip().startswith(b"{"):
            raise NotSupportedAttributeError(
                "tensorflow.train.Checkpoint.restore", "this checkpoint was written by "
                f"TensorFlow ({save_path}); load a model's weights from it with "
                "model.load_weights(path)")
        state = torch.load(save_path + ".data-00000-of-00001", weights_only=False)
        missing, unused = self._load(state)
        return _Status(missing, unused)

    def restore(self, save_path, options=None):
        """Loads `save_path` (None: nothing to restore, as in TensorFlow)."""
        if save_path is None:
            return _Status()
        return self.read(save_path)


def _not_found(path):
    from kerastorch.porting.tf import errors
    return errors.NotFoundError(None, None, f"Unsuccessful TensorSliceReader constructor: "
                                            f"Failed to find any matching files for {path}")


def _state_file(directory):
    return os.path.join(directory or ".", "checkpoint")


def _update_state_file(directory, latest, paths, append=False):
    """The directory's `checkpoint` file, in TensorFlow's text format (relative paths)."""
    directory = directory or "."
    existing = _read_state_file(directory)[1] if append else []
    all_paths = [p for p in existing if p not in paths] + list(paths)

    def rel(p):
        same = os.path.dirname(os.path.abspath(p)) == os.path.abspath(directory)
        return os.path.basename(p) if same else p
    lines = [f'model_checkpoint_path: "{rel(latest)}"'] + \
        [f'all_model_checkpoint_paths: "{rel(p)}"' for p in all_paths]
    with open(_state_file(directory), "w") as f:
        f.write("\n".join(lines) + "\n")


def _read_state_file(directory):
    path = _state_file(directory)
    if not os.path.exists(path):
        return None, []
    latest, paths = None, []
    with open(path) as f:
        for line in f:
            match = re.match(r'\s*(model_checkpoint_path|all_model_checkpoint_paths):\s*"(.*)"',
                             line)
            if not match:
                continue
            value = match.group(2)
            if not os.path.isabs(value):
                value = os.path.join(directory, value)
            if match.group(1) == "model_checkpoint_path":
                latest = value
            else:
                paths.append(value)
    return latest, paths


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The path of the directory's latest checkpoint, or None."""
    latest, _ = _read_state_file(os.fspath(checkpoint_dir))
    if latest is None or not os.path.exists(latest + ".index"):
        return None
    return latest


class CheckpointManager:
    """`tf.train.CheckpointManager(checkpoint, directory, max_to_keep, checkpoint_name="ckpt")`:
    numbered saves in `directory`, keeping the last `max_to_keep`."""

    def __init__(self, checkpoint, directory, max_to_keep, keep_checkpoint_every_n_hours=None,
                 checkpoint_name="ckpt", step_counter=None, checkpoint_interval=None,
                 init_fn=None):
        if not isinstance(checkpoint, Checkpoint):
            raise TypeError(f"CheckpointManager expects a tf.train.Checkpoint, received "
                            f"{type(checkpoint).__name__}")
        self._checkpoint = checkpoint
        self.directory = os.fspath(directory)
        self._max_to_keep = max_to_keep
        self._prefix = os.path.join(self.directory, checkpoint_name)
        self._init_fn = init_fn
        latest, paths = _read_state_file(self.directory)
        self._checkpoints = [p for p in paths if os.path.exists(p + ".index")]
        self._latest = latest if latest in self._checkpoints else (
            self._checkpoints[-1] if self._checkpoints else None)

    @property
    def checkpoint(self):
        return self._checkpoint

    @property
    def latest_checkpoint(self):
        return self._latest

    @property
    def checkpoints(self):
        return list(self._checkpoints)

    def save(self, checkpoint_number=None, check_interval=True, options=None):
        """Saves `<directory>/<name>-<n>` (n: `checkpoint_number`, else the save count)."""
        os.makedirs(self.directory, exist_ok=True)
        if checkpoint_number is None:
            with torch.no_grad():
                self._checkpoint.save_counter.value.add_(1)
            number = int(self._checkpoint.save_counter.value)
        else:
            number = int(getattr(checkpoint_number, "value", checkpoint_number))
        path = self._checkpoint.write(f"{self._prefix}-{number}")
        self._checkpoints = [p for p in self._checkpoints if p != path] + [path]
        if self._max_to_keep is not None:
            while len(self._checkpoints) > self._max_to_keep:
                old = self._checkpoints.pop(0)
                for suffix in (".index", ".data-00000-of-00001"):
                    if os.path.exists(old + suffix):
                        os.remove(old + suffix)
        self._latest = path
        _update_state_file(self.directory, path, self._checkpoints)
        return path

    def restore_or_initialize(self):
        if self._latest is not None:
            self._checkpoint.restore(self._latest)
            return self._latest
        if self._init_fn is not None:
            self._init_fn()
        return None


def __getattr__(name):
    if name in _example.NAMES:  # tf.train.Example and its parts (protobuf messages)
        return getattr(_example, name)
    raise NotSupportedAttributeError(f"tensorflow.train.{name}")
