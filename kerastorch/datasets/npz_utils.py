"""Loading `.npz` files whose ragged members are object arrays, without running pickled code:
only numpy arrays and dtypes may be unpickled."""

import io
import pickle
import zipfile

import numpy as np

_ALLOWED = {("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
            ("numpy", "ndarray"), ("numpy", "dtype"), ("numpy.core.multiarray", "scalar"),
            ("numpy._core.multiarray", "scalar")}


class RestrictedUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"Refusing to unpickle {module}.{name} from a dataset "
                                         "file: only numpy arrays are allowed.")
        return super().find_class(module, name)


def _load_member(buffer):
    version = np.lib.format.read_magic(buffer)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(buffer)
    else:
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(buffer)
    if dtype.hasobject:
        return RestrictedUnpickler(buffer).load()
    count = int(np.prod(shape)) if shape else 1
    data = np.frombuffer(buffer.read(count * dtype.itemsize), dtype=dtype, count=count)
    return data.reshape(shape, order="F" if fortran else "C")


def load_npz(path):
    """A dict of the arrays in the `.npz` archive at `path`."""
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.endswith(".npy"):
                with archive.open(member) as raw:
                    arrays[member[:-4]] = _load_member(io.BytesIO(raw.read()))
    return arrays
