"""`tf.train.Example` and its parts (`Features`, `Feature`, `BytesList`, `FloatList`,
`Int64List`, `SequenceExample`, `FeatureList`, `FeatureLists`): protobuf message classes with
TensorFlow's fields and field numbers (kerastorch.saving.tf_format.protos), so
`Example(features=Features(feature={...})).SerializeToString()` writes the bytes TensorFlow
writes and `Example.FromString(record)` reads them."""

from kerastorch.saving.tf_format import protos

NAMES = ("Example", "Features", "Feature", "BytesList", "FloatList", "Int64List",
          "SequenceExample", "FeatureList", "FeatureLists")


def __getattr__(name):
    if name in NAMES:
        cls = protos.message_class(name)  # built on first use: protobuf is an optional extra
        globals()[name] = cls
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = list(NAMES)
