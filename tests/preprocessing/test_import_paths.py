"""The Keras 2 import paths of `keras.preprocessing` resolve to kerastorch under
`kerastorch run` (keras, tf_keras, tensorflow.keras, tf.keras attribute chains, and Keras
2.0-2.3's separate `keras_preprocessing` package) and as
`kerastorch.preprocessing`; a name kerastorch lacks fails at first use, naming it."""

import textwrap

import pytest

import kerastorch
from kerastorch.legacy.preprocessing import image as legacy_image
from kerastorch.legacy.preprocessing import sequence as legacy_sequence
from kerastorch.legacy.preprocessing import text as legacy_text
from kerastorch.porting import NotSupportedAttributeError
from kerastorch.porting import NotSupportedImportError
from kerastorch.porting import run_script

IMPORTS = {
    "keras": "from keras.preprocessing.text import Tokenizer\n"
             "from keras.preprocessing.sequence import pad_sequences, TimeseriesGenerator\n"
             "from keras.preprocessing.image import ImageDataGenerator, load_img\n",
    "tf_keras": "from tf_keras.preprocessing.text import Tokenizer\n"
                "from tf_keras.preprocessing.sequence import pad_sequences, TimeseriesGenerator\n"
                "from tf_keras.preprocessing.image import ImageDataGenerator, load_img\n",
    "tensorflow.keras": "from tensorflow.keras.preprocessing.text import Tokenizer\n"
                        "from tensorflow.keras.preprocessing.sequence import pad_sequences\n"
                        "from tensorflow.keras.preprocessing.sequence import "
                        "TimeseriesGenerator\n"
                        "from tensorflow.keras.preprocessing.image import ImageDataGenerator\n"
                        "from tensorflow.keras.preprocessing.image import load_img\n",
    "keras_preprocessing": "from keras_preprocessing.text import Tokenizer\n"
                           "from keras_preprocessing.sequence import pad_sequences\n"
                           "from keras_preprocessing.sequence import TimeseriesGenerator\n"
                           "from keras_preprocessing.image import ImageDataGenerator, load_img\n",
    "tf.keras attributes": "import tensorflow as tf\n"
                           "Tokenizer = tf.keras.preprocessing.text.Tokenizer\n"
                           "pad_sequences = tf.keras.preprocessing.sequence.pad_sequences\n"
                           "TimeseriesGenerator = "
                           "tf.keras.preprocessing.sequence.TimeseriesGenerator\n"
                           "ImageDataGenerator = tf.keras.preprocessing.image.ImageDataGenerator\n"
                           "load_img = tf.keras.preprocessing.image.load_img\n",
    "import keras": "import keras\n"
                    "Tokenizer = keras.preprocessing.text.Tokenizer\n"
                    "pad_sequences = keras.preprocessing.sequence.pad_sequences\n"
                    "TimeseriesGenerator = keras.preprocessing.sequence.TimeseriesGenerator\n"
                    "ImageDataGenerator = keras.preprocessing.image.ImageDataGenerator\n"
                    "load_img = keras.preprocessing.image.load_img\n",
}


@pytest.mark.parametrize("name", list(IMPORTS))
def test_keras2_preprocessing_paths_import_under_kerastorch_run(tmp_path, name):
    script = tmp_path / "s.py"
    script.write_text(IMPORTS[name])
    scope = run_script(script)
    assert scope["Tokenizer"] is legacy_text.Tokenizer
    assert scope["pad_sequences"] is kerastorch.utils.pad_sequences
    assert scope["TimeseriesGenerator"] is legacy_sequence.TimeseriesGenerator
    assert scope["ImageDataGenerator"] is legacy_image.ImageDataGenerator
    assert scope["load_img"] is kerastorch.utils.image_utils.load_img


def test_image_helpers_are_in_keras_utils_too_as_in_keras():
    for name in ("load_img", "img_to_array", "array_to_img", "save_img"):
        assert getattr(kerastorch.utils, name) is getattr(kerastorch.preprocessing.image, name)


def test_kerastorch_preprocessing_has_keras3_and_keras2_names():
    pre = kerastorch.preprocessing
    assert pre.image_dataset_from_directory is kerastorch.utils.image_dataset_from_directory
    assert pre.sequence.pad_sequences is kerastorch.utils.pad_sequences
    for module, names in ((pre.text, ["Tokenizer", "one_hot", "hashing_trick",
                                      "text_to_word_sequence", "tokenizer_from_json"]),
                          (pre.sequence, ["skipgrams", "make_sampling_table",
                                          "TimeseriesGenerator"]),
                          (pre.image, ["ImageDataGenerator", "Iterator", "DirectoryIterator",
                                       "NumpyArrayIterator", "DataFrameIterator",
                                       "apply_affine_transform", "random_rotation",
                                       "random_shift", "random_shear", "random_zoom",
                                       "random_channel_shift", "apply_channel_shift",
                                       "random_brightness", "apply_brightness_shift",
                                       "load_img", "img_to_array", "array_to_img",
                                       "save_img"])):
        for name in names:
            assert callable(getattr(module, name)), f"{module.__name__}.{name}"


@pytest.mark.parametrize("code, api, error", [
    ("from tensorflow.keras.preprocessing.image import NoSuchThing",
     "tensorflow.keras.preprocessing.image.NoSuchThing", NotSupportedImportError),
    ("import keras\nkeras.preprocessing.text.NoSuchThing",
     "keras.preprocessing.text.NoSuchThing", NotSupportedAttributeError),
])
def test_missing_preprocessing_names_fail_naming_them(tmp_path, code, api, error):
    script = tmp_path / "s.py"
    script.write_text(textwrap.dedent(code))
    with pytest.raises(error, match=f"^{api.replace('.', '[.]')} is not supported yet"):
        run_script(script)
