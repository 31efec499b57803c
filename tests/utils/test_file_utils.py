"""utils/file_utils.py: get_file's cache paths, downloads (from local `file://` origins: no
network), hash checks and archive extraction, compared with Keras 3's get_file on the same
origins; hash_file / validate_file / extract_archive."""

import hashlib
import os
import tarfile
import zipfile

import pytest

from kerastorch.utils import file_utils
from tests.keras3 import import_keras3


@pytest.fixture
def origins(tmp_path, monkeypatch):
    monkeypatch.delenv("KERASTORCH_OFFLINE", raising=False)
    src = tmp_path / "src"
    src.mkdir()
    (src / "data.bin").write_bytes(b"0123456789" * 10)
    (src / "inner").mkdir()
    (src / "inner" / "a.txt").write_text("a")
    with tarfile.open(src / "pack.tar.gz", "w:gz") as tar:
        tar.add(src / "inner", arcname="inner")
    with zipfile.ZipFile(src / "pack.zip", "w") as z:
        z.write(src / "inner" / "a.txt", "inner/a.txt")
    return {name: (src / name).as_uri() for name in ("data.bin", "pack.tar.gz", "pack.zip")}, src


def test_get_file_downloads_once_into_the_cache(tmp_path, origins, capsys):
    urls, src = origins
    cache = tmp_path / "cache"
    path = file_utils.get_file("data.bin", urls["data.bin"], cache_dir=str(cache))
    assert path == str(cache / "datasets" / "data.bin")
    assert open(path, "rb").read() == (src / "data.bin").read_bytes()
    assert "Downloading data from" in capsys.readouterr().out
    os.remove(src / "data.bin")  # cached: not downloaded again
    again = file_utils.get_file(origin=urls["data.bin"], cache_dir=str(cache))  # name from url
    assert again == path and "Downloading" not in capsys.readouterr().out
    with pytest.raises(FileNotFoundError, match="Could not download data.bin"):
        file_utils.get_file("data.bin", urls["data.bin"], cache_dir=str(cache),
                            force_download=True)
    assert not os.path.exists(path)  # the partial download is removed


def test_hashes_are_checked_and_a_stale_local_file_is_replaced(tmp_path, origins, capsys):
    urls, src = origins
    cache = str(tmp_path / "cache")
    sha = hashlib.sha256((src / "data.bin").read_bytes()).hexdigest()
    md5 = hashlib.md5((src / "data.bin").read_bytes()).hexdigest()
    path = file_utils.get_file("data.bin", urls["data.bin"], file_hash=sha, cache_dir=cache)
    with open(path, "wb") as f:
        f.write(b"stale")
    file_utils.get_file("data.bin", urls["data.bin"], md5_hash=md5, cache_dir=cache)
    assert "file hash does not match" in capsys.readouterr().out
    assert open(path, "rb").read() == (src / "data.bin").read_bytes()
    with pytest.raises(ValueError, match="Incomplete or corrupted file detected"):
        file_utils.get_file("other.bin", urls["data.bin"], file_hash="0" * 64, cache_dir=cache)


def _extracted(get_file, urls, cache):
    out = {}
    for key, fname in (("tar", "pack.tar.gz"), ("zip", "pack.zip")):
        for named in (True, False):
            # (an existing cache_dir: Keras 3 falls back to /tmp/.keras for a missing one)
            (cache / f"{key}{named}").mkdir(parents=True)
            root = get_file(fname if named else None, urls[fname], extract=True,
                            cache_dir=str(cache / f"{key}{named}"))
            files = sorted(os.path.relpath(os.path.join(d, f), root)
                           for d, _, fs in os.walk(root) for f in fs)
            out[(key, named)] = (os.path.relpath(root, cache / f"{key}{named}"), files)
    return out


def test_extraction_paths_and_contents_match_keras3(tmp_path, origins):
    keras3 = import_keras3()
    urls, _ = origins
    ours = _extracted(file_utils.get_file, urls, tmp_path / "ours")
    theirs = _extracted(keras3.utils.get_file, urls, tmp_path / "theirs")
    assert ours == theirs
    assert ours[("tar", True)] == ("datasets/pack_extracted", ["inner/a.txt"])


def test_argument_errors_and_offline_mode(tmp_path, origins, monkeypatch):
    urls, _ = origins
    with pytest.raises(ValueError, match='Please specify the "origin" argument'):
        file_utils.get_file("x")
    with pytest.raises(ValueError, match="Paths are no longer accepted as the `fname`"):
        file_utils.get_file(os.path.join("a", "b"), urls["data.bin"], cache_dir=str(tmp_path))
    with pytest.raises(ValueError, match="Can't parse the file name from the origin"):
        file_utils.get_file(origin="http://example.invalid/", cache_dir=str(tmp_path))
    monkeypatch.setenv("KERASTORCH_OFFLINE", "1")
    with pytest.raises(FileNotFoundError, match=r"data.bin is not in the Keras cache and "
                                                r"KERASTORCH_OFFLINE is set. Download it from "):
        file_utils.get_file("data.bin", urls["data.bin"], cache_dir=str(tmp_path / "c"))


def test_keras_home_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "kh"))
    assert file_utils.keras_home() == str(tmp_path / "kh")
    monkeypatch.delenv("KERAS_HOME")
    assert file_utils.keras_home().endswith(".keras")


def test_hash_file_and_validate_file(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"abc" * 1000)
    sha = hashlib.sha256(b"abc" * 1000).hexdigest()
    md5 = hashlib.md5(b"abc" * 1000).hexdigest()
    assert file_utils.hash_file(str(path)) == sha
    assert file_utils.hash_file(str(path), "md5", chunk_size=7) == md5
    assert file_utils.validate_file(str(path), sha) and file_utils.validate_file(str(path), md5)
    assert not file_utils.validate_file(str(path), "0" * 32)


def test_extract_archive_says_false_for_what_it_cannot_extract(tmp_path, origins):
    _, src = origins
    assert not file_utils.extract_archive(str(src / "data.bin"), str(tmp_path / "x"))
    assert not file_utils.extract_archive(str(src / "pack.zip"), str(tmp_path / "x"), None)
    assert not file_utils.extract_archive(str(src / "pack.zip"), str(tmp_path / "x"), "tar")
    assert file_utils.extract_archive(str(src / "pack.zip"), str(tmp_path / "z"), ["zip"])
    assert (tmp_path / "z" / "inner" / "a.txt").read_text() == "a"
