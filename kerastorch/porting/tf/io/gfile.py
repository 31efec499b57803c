"""tf.io.gfile on the local file system (`GFile`, `exists`, `glob`, `listdir`, `makedirs`, ...).

Paths are local paths; TensorFlow's other file systems (`gs://`, `s3://`, `hdfs://`) are not
reachable here and raise a clear error."""

import glob as _glob
import os
import shutil

from kerastorch.porting.errors import NotSupportedAttributeError


def _local(path):
    if isinstance(path, bytes):
        path = path.decode("utf-8")
    path = os.fspath(path)
    if "://" in path and not path.startswith("file://"):
        raise NotSupportedAttributeError(f"tensorflow.io.gfile on {path.split('://')[0]}:// paths")
    return path[len("file://"):] if path.startswith("file://") else path


def _not_found(path):
    from kerastorch.porting.tf.errors import NotFoundError
    return NotFoundError(None, None, f"{path}; No such file or directory")


class GFile:
    """tf.io.gfile.GFile(name, mode="r"): a file object (`read`, `write`, `readline`, iteration,
    `size`, a context manager)."""

    def __init__(self, name, mode="r"):
        self.name, self.mode = _local(name), mode
        if "r" in mode and not os.path.exists(self.name):
            raise _not_found(self.name)
        self._file = open(self.name, mode)

    def __getattr__(self, attr):
        return getattr(self.__dict__["_file"], attr)

    def __iter__(self):
        return iter(self._file)

    def size(self):
        return os.path.getsize(self.name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._file.close()
        return False


Open = GFile


def exists(path):
    return os.path.exists(_local(path))


def isdir(path):
    return os.path.isdir(_local(path))


def glob(pattern):
    return sorted(_glob.glob(_local(pattern)))


def listdir(path):
    path = _local(path)
    if not os.path.isdir(path):
        raise _not_found(path)
    return sorted(os.listdir(path))


def makedirs(path):
    os.makedirs(_local(path), exist_ok=True)


def mkdir(path):
    os.mkdir(_local(path))


def remove(path):
    path = _local(path)
    if not os.path.exists(path):
        raise _not_found(path)
    os.remove(path)


def rmtree(path):
    path = _local(path)
    if not os.path.exists(path):
        raise _not_found(path)
    shutil.rmtree(path)


def rename(src, dst, overwrite=False):
    src, dst = _local(src), _local(dst)
    if os.path.exists(dst) and not overwrite:
        from kerastorch.porting.tf.errors import OpError
        raise OpError(None, None, f"{dst} already exists (pass overwrite=True)")
    os.replace(src, dst)


def copy(src, dst, overwrite=False):
    src, dst = _local(src), _local(dst)
    if os.path.exists(dst) and not overwrite:
        from kerastorch.porting.tf.errors import OpError
        raise OpError(None, None, f"{dst} already exists (pass overwrite=True)")
    shutil.copyfile(src, dst)


def walk(top, topdown=True, onerror=None):
    return os.walk(_local(top), topdown=topdown, onerror=onerror)


def __getattr__(name):
    raise NotSupportedAttributeError(f"tensorflow.io.gfile.{name}")
