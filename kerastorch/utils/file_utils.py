"""`keras.utils.get_file`: a file from Keras's cache (`$KERAS_HOME` or `~/.keras`), checked by
hash, downloaded only when missing; with no network, an error naming the file and where to
put it."""

import hashlib
import os
import tarfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile


def keras_home():
    """Keras's cache root: `$KERAS_HOME`, else `~/.keras` (`/tmp/.keras` if home is read-only)."""
    if "KERAS_HOME" in os.environ:
        return os.environ["KERAS_HOME"]
    base = os.path.expanduser("~")
    return os.path.join(base if os.access(base, os.W_OK) else "/tmp", ".keras")


def resolve_hasher(algorithm, file_hash=None):
    if algorithm == "sha256" or (algorithm == "auto" and file_hash is not None
                                 and len(file_hash) == 64):
        return hashlib.sha256()
    return hashlib.md5()


def hash_file(fpath, algorithm="sha256", chunk_size=65535):
    """The sha256 (or md5) hex digest of a file."""
    hasher = resolve_hasher(algorithm) if isinstance(algorithm, str) else algorithm
    with open(fpath, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def validate_file(fpath, file_hash, algorithm="auto", chunk_size=65535):
    """Whether the file's hash equals `file_hash` (sha256 or md5, detected by length)."""
    return hash_file(fpath, resolve_hasher(algorithm, file_hash), chunk_size) == str(file_hash)


def extract_archive(file_path, path=".", archive_format="auto"):
    """Extracts a tar(.gz/.bz2) or zip archive into `path`; False when it is neither."""
    if archive_format is None:
        return False
    formats = ["tar", "zip"] if archive_format == "auto" else (
        [archive_format] if isinstance(archive_format, str) else archive_format)
    for kind in formats:
        is_match, opener = {"tar": (tarfile.is_tarfile, tarfile.open),
                            "zip": (zipfile.is_zipfile, zipfile.ZipFile)}[kind]
        if is_match(file_path):
            with opener(file_path) as archive:
                if kind == "tar":
                    archive.extractall(path, filter="data")
                else:
                    archive.extractall(path)
            return True
    return False


def get_file(fname=None, origin=None, untar=False, md5_hash=None, file_hash=None,
             cache_subdir="datasets", hash_algorithm="auto", extract=False,
             archive_format="auto", cache_dir=None, force_download=False):
    """Returns the path of `fname` in Keras's cache, downloading it from `origin` if missing.

    The cache is `cache_dir` (default `$KERAS_HOME`, else `~/.keras`) / `cache_subdir`; file
    names, hash checks and archive extraction follow Keras, so files Keras downloaded are
    found. Set `KERASTORCH_OFFLINE=1` to never download.

    Args:
        fname: file name in the cache (default: the last part of `origin`).
        origin: URL of the file.
        file_hash: expected sha256 or md5 of the file.
        extract: extract the archive and return the extraction directory.
    """
    if origin is None:
        raise ValueError('Please specify the "origin" argument (URL of the file to download).')
    if cache_dir is None:
        cache_dir = keras_home()
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    base = os.path.expanduser(cache_dir)
    if not os.access(base if os.path.exists(base) else os.path.dirname(base) or ".", os.W_OK):
        base = os.path.join("/tmp", ".keras")
    datadir = os.path.join(base, cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    provided = fname
    fname = os.fspath(fname) if fname else ""
    if not fname:
        fname = os.path.basename(urllib.parse.urlsplit(origin).path)
        if not fname:
            raise ValueError(f"Can't parse the file name from the origin provided: '{origin}'."
                             "Please specify the `fname` argument.")
    elif os.sep in fname:
        raise ValueError("Paths are no longer accepted as the `fname` argument. To specify the "
                         "file's parent directory, use the `cache_dir` argument. Received: "
                         f"fname={fname}")
    extraction_dir = None
    if extract or untar:
        if provided and "." in fname:
            target = os.path.join(datadir, fname)
            extraction_dir = os.path.join(datadir, f"{fname[:fname.find('.')]}_extracted")
        else:
            extraction_dir = os.path.join(datadir, fname)
            target = os.path.join(datadir, f"{fname}_archive")
    else:
        target = os.path.join(datadir, fname)

    download = force_download or not os.path.exists(target)
    if not download and file_hash is not None and not validate_file(target, file_hash,
                                                                    hash_algorithm):
        print(f"A local file was found, but it seems to be incomplete or outdated because the "
              f"{hash_algorithm} file hash does not match the original value of {file_hash} so "
              "we will re-download the data.")
        download = True
    if download:
        _download(origin, target)
        if file_hash is not None and not validate_file(target, file_hash, hash_algorithm):
            raise ValueError(f"Incomplete or corrupted file detected. The {hash_algorithm} file "
                             f"hash does not match the provided value of {file_hash}.")
    if extraction_dir is not None:
        if not os.path.isdir(extraction_dir) or download:
            fmt = "tar" if untar else archive_format
            if not extract_archive(target, extraction_dir, fmt):
                import warnings
                warnings.warn("Could not extract archive.", stacklevel=2)
        return extraction_dir
    return target


def _download(origin, target):
    where = (f"Download it from {origin} and save it as {target} (Keras's cache: set KERAS_HOME "
             "to use another directory).")
    if os.environ.get("KERASTORCH_OFFLINE"):
        raise FileNotFoundError(f"{os.path.basename(target)} is not in the Keras cache and "
                                f"KERASTORCH_OFFLINE is set. {where}")
    print(f"Downloading data from {origin}")
    try:
        urllib.request.urlretrieve(origin, target)
    except (urllib.error.URLError, OSError) as err:
        if os.path.exists(target):
            os.remove(target)
        raise FileNotFoundError(f"Could not download {os.path.basename(target)} ({err}). "
                                f"{where}") from err
