"""run_script (`kerastorch run`): an unchanged Keras script runs on kerastorch as __main__ with
its argv and folder on sys.path, both restored after; a Keras method kerastorch lacks is
reported as NotSupportedAttributeError naming it, other errors pass through."""

import sys

import pytest

from kerastorch.porting.errors import NotSupportedAttributeError
from kerastorch.porting.run import run_script


def _script(tmp_path, text, name="script.py"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_runs_as_main_with_argv_and_its_folder_importable(tmp_path):
    (tmp_path / "helper_mod_s5.py").write_text("VALUE = 41\n")
    path = _script(tmp_path, "\n".join([
        "import sys",
        "import keras",
        "import helper_mod_s5",
        "ARGS = sys.argv[1:]",
        "IS_MAIN = __name__ == '__main__'",
        "MODEL = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])",
        "ANSWER = helper_mod_s5.VALUE + 1",
    ]))
    argv, path_before = list(sys.argv), list(sys.path)
    try:
        scope = run_script(path, ["--epochs", "2"])
    finally:
        sys.modules.pop("helper_mod_s5", None)
    assert scope["ARGS"] == ["--epochs", "2"] and scope["IS_MAIN"] and scope["ANSWER"] == 42
    assert type(scope["MODEL"]).__module__.startswith("kerastorch")
    assert scope["MODEL"].count_params() == 8
    assert sys.argv == argv and sys.path == path_before


def test_missing_keras_method_is_not_supported(tmp_path):
    # `stateless_call` is Keras 3 Model API (JAX-style) that kerastorch's models do not have
    path = _script(tmp_path, "\n".join([
        "import keras",
        "model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])",
        "model.stateless_call",
    ]))
    with pytest.raises(NotSupportedAttributeError, match="Sequential.stateless_call"):
        run_script(path)


def test_other_errors_pass_through_and_state_is_restored(tmp_path):
    argv = list(sys.argv)
    path = _script(tmp_path, "import sys\nraise KeyError('from the script')\n")
    with pytest.raises(KeyError, match="from the script"):
        run_script(path, ["x"])
    assert sys.argv == argv
    typo = _script(tmp_path, "import keras\nkeras.Sequential().not_a_keras_name\n", "typo.py")
    with pytest.raises(AttributeError) as info:
        run_script(typo)
    assert not isinstance(info.value, NotSupportedAttributeError)


def test_missing_file():
    with pytest.raises(FileNotFoundError, match="no such script"):
        run_script("/nonexistent/dir/train.py")
