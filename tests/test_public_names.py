"""The public names of Keras 3's main namespaces (`keras`, `keras.ops`, `keras.layers`,
`keras.backend`, `keras.utils`, `keras.callbacks`, `keras.models`, `keras.saving`): kerastorch
has each one, or it is in the reviewed NOT_SUPPORTED list below and a script reaching it under
`kerastorch run` gets the NotSupported error naming its Keras path."""

import importlib

import pytest

import kerastorch
from kerastorch.porting.errors import NotSupportedAttributeError
from kerastorch.porting.hook import KerasFinder
from kerastorch.porting.hook import PortedModule
from tests.keras3 import import_keras3

NAMESPACES = ("", "ops", "layers", "backend", "utils", "callbacks", "models", "saving")

# Reviewed against Keras 3.15.1: what kerastorch does not provide, and why (grouped).
NOT_SUPPORTED = {
    "": [
        # JAX/TF-style tracing scopes and graph objects with no torch counterpart here
        "Function", "Operation", "StatelessScope", "SymbolicScope", "RematScope", "remat",
        # quantization and distillation APIs
        "Quantizer", "quantizers", "distillation", "dtype_policies",
        # context managers over Keras's own device/name state
        "device", "name_scope",
        # modules not ported yet (export, visualization: plotting boxes); `wrappers` holds
        # Keras 2's scikit_learn wrappers, not yet Keras 3's SKLearnClassifier & co.
        "export", "visualization",
        # Keras's implementation package
        "src",
    ],
    "layers": [
        # image augmentation layers of Keras 3.8+
        "AugMix", "AutoContrast", "ContrastLimitedAdaptiveHistogramEqualization", "CutMix",
        "Equalization", "MaxNumBoundingBoxes", "MixUp", "Pipeline", "RandAugment",
        "RandomColorDegeneration", "RandomColorJitter", "RandomElasticTransform",
        "RandomErasing", "RandomGaussianBlur", "RandomGrayscale", "RandomHue", "RandomInvert",
        "RandomPerspective", "RandomPosterization", "RandomSaturation", "RandomSharpness",
        "RandomShear", "Solarization",
        # audio front ends
        "MelSpectrogram", "STFTSpectrogram",
        # convolutional recurrent layers
        "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D",
        # other backends' modules and TF SavedModel inference
        "FlaxLayer", "JaxLayer", "TFSMLayer",
        # not ported yet
        "GroupQueryAttention", "HashedCrossing", "ReversibleEmbedding",
        "SpectralNormalization", "Wrapper",
    ],
    "utils": [
        "Config", "FeatureSpace", "audio_dataset_from_directory", "bounding_boxes", "legacy",
        "get_source_inputs",
        # absl-logging switches of Keras's io_utils
        "disable_interactive_logging", "enable_interactive_logging",
        "is_interactive_logging_enabled",
    ],
    "callbacks": ["BackupAndRestore", "OrbaxCheckpoint", "RemoteMonitor", "SwapEMAWeights"],
    "saving": ["KerasFileEditor"],
}


def _keras3_names(keras3, ns):
    module = keras3 if not ns else importlib.import_module(f"keras.{ns}")
    return sorted(n for n in dir(module) if not n.startswith("_"))


def _ours(ns):
    return kerastorch if not ns else importlib.import_module(f"kerastorch.{ns}")


@pytest.mark.parametrize("ns", NAMESPACES)
def test_every_keras3_public_name_exists_or_is_listed_as_not_supported(ns):
    keras3 = import_keras3()
    ours = _ours(ns)
    listed = set(NOT_SUPPORTED.get(ns, ()))
    names = _keras3_names(keras3, ns)
    assert len(names) > 5
    missing = [n for n in names if not hasattr(ours, n) and n not in listed]
    assert not missing, f"keras.{ns or ''}: names neither provided nor listed: {missing}"
    unknown = sorted(listed - set(names))
    assert not unknown, f"NOT_SUPPORTED lists names Keras 3 lacks: {unknown}"
    provided = sorted(n for n in listed if hasattr(ours, n))
    assert not provided, f"NOT_SUPPORTED lists names kerastorch provides: {provided}"


@pytest.mark.parametrize("ns", [ns for ns in NAMESPACES if ns in NOT_SUPPORTED])
def test_not_supported_names_raise_the_error_naming_their_keras_path(ns):
    path = "keras" if not ns else f"keras.{ns}"
    ported = PortedModule(path, _ours(ns), KerasFinder())
    for name in NOT_SUPPORTED[ns]:
        with pytest.raises(NotSupportedAttributeError,
                           match=rf"^{path}\.{name} is not supported yet by kerastorch"):
            getattr(ported, name)
        assert not hasattr(ported, name)


def test_ops_backend_is_the_backend_module_with_its_ops():
    x = kerastorch.ops.ones((2, 3))
    backend = kerastorch.ops.backend
    assert backend is kerastorch.backend
    assert backend.shape(x) == (2, 3)
    assert str(backend.cast(x, "int32").dtype) == "torch.int32"
    assert backend.convert_to_numpy(backend.numpy.sum(x)) == 6.0
    assert backend.is_tensor(x) and not backend.is_tensor(3)
    assert backend.random.normal((4,)).shape == (4,)
    assert backend.is_float_dtype("bfloat16") and backend.is_int_dtype("uint8")
    assert not backend.is_float_dtype("int32")
    assert backend.result_type("int32", "float32") == "float32"
    assert backend.is_keras_tensor(kerastorch.Input((3,))) and not backend.is_keras_tensor(x)
    with pytest.raises(AttributeError, match="no attribute 'not_an_op'"):
        backend.not_an_op  # noqa: B018


def test_ops_backend_matches_keras3_on_common_calls():
    keras3 = import_keras3()
    import keras.src.ops as keras3_src_ops  # Keras 3's ops package carries its backend module
    for k_backend, k in ((keras3_src_ops.backend, keras3), (kerastorch.ops.backend, kerastorch)):
        x = k.ops.reshape(k.ops.arange(6, dtype="float32"), (2, 3))
        assert tuple(k_backend.shape(x)) == (2, 3)
        assert k_backend.standardize_dtype(k_backend.cast(x, "int32").dtype) == "int32"
        assert k_backend.convert_to_numpy(k_backend.numpy.sum(x)).item() == 15.0
        assert k_backend.result_type("int8", "uint8") == "int16"


def test_utils_pack_and_unpack_round_trip_like_keras3():
    keras3 = import_keras3()
    x, y, sw = [1.0], [2.0], [0.5]
    for args in ((x,), (x, y), (x, y, sw), ((x, x),)):
        packed = kerastorch.utils.pack_x_y_sample_weight(*args)
        assert packed == keras3.utils.pack_x_y_sample_weight(*args)
        assert kerastorch.utils.unpack_x_y_sample_weight(packed) == \
            keras3.utils.unpack_x_y_sample_weight(packed)


def test_top_level_aliases_are_the_kerastorch_classes():
    from kerastorch.layers.core.input_layer import KerasTensor
    assert kerastorch.KerasTensor is KerasTensor
    assert isinstance(kerastorch.Input((2,)), kerastorch.KerasTensor)
    assert kerastorch.Initializer is kerastorch.initializers.Initializer
    assert kerastorch.Regularizer is kerastorch.regularizers.Regularizer
    assert kerastorch.version() == kerastorch.__version__
    assert kerastorch.utils.clear_session is kerastorch.backend.clear_session
    assert kerastorch.FloatDTypePolicy("float32").name == "float32"
