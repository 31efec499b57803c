"""The few TensorFlow / Keras 2 protobuf messages kerastorch reads (and, for tf.train.Example,
writes), built in Python.

Only the fields the readers use are declared, with the field numbers of TensorFlow's public
`.proto` files (tensor_bundle.proto, tensor_shape.proto, versions.proto,
trackable_object_graph.proto, saved_model.proto, meta_graph.proto, saved_object_graph.proto,
example.proto, feature.proto and Keras's saved_metadata.proto). Fields not declared are skipped by the parser, so a full file
parses into these partial messages. Enums are declared as int32 (the same varint on the wire).
The messages live in a private descriptor pool, so they never clash with TensorFlow's own
classes when both are imported in one process.
"""

_T = {"float": 2, "int32": 5, "int64": 3, "uint32": 13, "bool": 8, "string": 9, "bytes": 12,
      "fixed32": 7, "message": 11}
_OPTIONAL, _REPEATED = 1, 3

# message name -> [(field name, number, type, repeated, message type name or None)]
_MESSAGES = {
    "VersionDef": [("producer", 1, "int32", False, None),
                   ("min_consumer", 2, "int32", False, None),
                   ("bad_consumers", 3, "int32", True, None)],
    "TensorShapeProto.Dim": [("size", 1, "int64", False, None),
                             ("name", 2, "string", False, None)],
    "TensorShapeProto": [("dim", 2, "message", True, "TensorShapeProto.Dim"),
                         ("unknown_rank", 3, "bool", False, None)],
    # tensor_bundle.proto
    "BundleHeaderProto": [("num_shards", 1, "int32", False, None),
                          ("endianness", 2, "int32", False, None),
                          ("version", 3, "message", False, "VersionDef")],
    "BundleEntryProto": [("dtype", 1, "int32", False, None),
                         ("shape", 2, "message", False, "TensorShapeProto"),
                         ("shard_id", 3, "int32", False, None),
                         ("offset", 4, "int64", False, None),
                         ("size", 5, "int64", False, None),
                         ("crc32c", 6, "fixed32", False, None),
                         ("slices", 7, "bytes", True, None)],  # TensorSliceProto, unparsed
    # trackable_object_graph.proto
    "TrackableObject.ObjectReference": [("node_id", 1, "int32", False, None),
                                        ("local_name", 2, "string", False, None)],
    "TrackableObject.SerializedTensor": [("name", 1, "string", False, None),
                                         ("full_name", 2, "string", False, None),
                                         ("checkpoint_key", 3, "string", False, None)],
    "TrackableObject.SlotVariableReference": [
        ("original_variable_node_id", 1, "int32", False, None),
        ("slot_name", 2, "string", False, None),
        ("slot_variable_node_id", 3, "int32", False, None)],
    "TrackableObject": [
        ("children", 1, "message", True, "TrackableObject.ObjectReference"),
        ("attributes", 2, "message", True, "TrackableObject.SerializedTensor"),
        ("slot_variables", 3, "message", True, "TrackableObject.SlotVariableReference")],
    "TrackableObjectGraph": [("nodes", 1, "message", True, "TrackableObject")],
    # Keras's saved_metadata.proto (keras_metadata.pb)
    "KerasSavedObject": [("node_id", 2, "int32", False, None),
                         ("node_path", 3, "string", False, None),
                         ("identifier", 4, "string", False, None),
                         ("metadata", 5, "string", False, None),
                         ("version", 6, "message", False, "VersionDef")],
    "SavedMetadata": [("nodes", 1, "message", True, "KerasSavedObject")],
    # saved_model.proto, meta_graph.proto, saved_object_graph.proto (saved_model.pb)
    "SavedUserObject": [("identifier", 1, "string", False, None),
                        ("version", 2, "message", False, "VersionDef"),
                        ("metadata", 3, "string", False, None)],
    "SavedVariable": [("dtype", 1, "int32", False, None),
                      ("shape", 2, "message", False, "TensorShapeProto"),
                      ("trainable", 3, "bool", False, None),
                      ("name", 6, "string", False, None)],
    "SavedObject": [("children", 1, "message", True, "TrackableObject.ObjectReference"),
                    ("user_object", 4, "message", False, "SavedUserObject"),
                    ("function", 6, "bytes", False, None),
                    ("variable", 7, "message", False, "SavedVariable")],
    "SavedObjectGraph": [("nodes", 1, "message", True, "SavedObject")],
    "MetaInfoDef": [("meta_graph_version", 1, "string", False, None),
                    ("tags", 4, "string", True, None),
                    ("tensorflow_version", 5, "string", False, None)],
    "SignatureDefEntry": [("key", 1, "string", False, None)],  # map<string, SignatureDef>
    "MetaGraphDef": [("meta_info_def", 1, "message", False, "MetaInfoDef"),
                     ("signature_def", 5, "message", True, "SignatureDefEntry"),
                     ("object_graph_def", 7, "message", False, "SavedObjectGraph")],
    "SavedModel": [("saved_model_schema_version", 1, "int64", False, None),
                   ("meta_graphs", 2, "message", True, "MetaGraphDef")],
    # example.proto and feature.proto (tf.train.Example, the records of TFRecord files); a
    # "map" field is a map<string, message> (its type name is the value's message)
    "BytesList": [("value", 1, "bytes", True, None)],
    "FloatList": [("value", 1, "float", True, None)],
    "Int64List": [("value", 1, "int64", True, None)],
    "Feature": [("bytes_list", 1, "message", False, "BytesList"),
                ("float_list", 2, "message", False, "FloatList"),
                ("int64_list", 3, "message", False, "Int64List")],
    "Features": [("feature", 1, "map", False, "Feature")],
    "FeatureList": [("feature", 1, "message", True, "Feature")],
    "FeatureLists": [("feature_list", 1, "map", False, "FeatureList")],
    "Example": [("features", 1, "message", False, "Features")],
    "SequenceExample": [("context", 1, "message", False, "Features"),
                        ("feature_lists", 2, "message", False, "FeatureLists")],
}
# Fields of one message that TensorFlow declares as a `oneof` (at most one is set).
_ONEOFS = {"Feature": ("kind", ("bytes_list", "float_list", "int64_list"))}

_PACKAGE = "kerastorch_tf_format"
_CLASSES = None


def _build():
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    file_proto = descriptor_pb2.FileDescriptorProto(name="kerastorch_tf_format.proto",
                                                    package=_PACKAGE, syntax="proto3")
    for name, fields in _MESSAGES.items():
        message = file_proto.message_type.add(name=name.replace(".", "_"))
        oneof_name, oneof_fields = _ONEOFS.get(name, (None, ()))
        if oneof_name:
            message.oneof_decl.add(name=oneof_name)
        for field_name, number, kind, repeated, type_name in fields:
            if kind == "map":  # map<string, type_name>: a repeated nested map-entry message
                entry = message.nested_type.add(name=field_name.title().replace("_", "") +
                                                "Entry")
                entry.options.map_entry = True
                entry.field.add(name="key", number=1, type=_T["string"], label=_OPTIONAL)
                entry.field.add(name="value", number=2, type=_T["message"], label=_OPTIONAL,
                                type_name=f".{_PACKAGE}.{type_name}")
                message.field.add(name=field_name, number=number, type=_T["message"],
                                  label=_REPEATED,
                                  type_name=f".{_PACKAGE}.{name}.{entry.name}")
                continue
            field = message.field.add(name=field_name, number=number, type=_T[kind],
                                      label=_REPEATED if repeated else _OPTIONAL)
            if type_name:
                field.type_name = f".{_PACKAGE}.{type_name.replace('.', '_')}"
            if field_name in oneof_fields:
                field.oneof_index = 0
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file_proto)
    return {name: message_factory.GetMessageClass(
        pool.FindMessageTypeByName(f"{_PACKAGE}.{name.replace('.', '_')}"))
        for name in _MESSAGES}


def message_class(name):
    """The message class `name` (a key of `_MESSAGES`); needs the `protobuf` package."""
    global _CLASSES
    if _CLASSES is None:
        try:
            _CLASSES = _build()
        except ImportError:
            raise ImportError("Reading TensorFlow SavedModels and checkpoints needs the "
                              "`protobuf` package: `pip install kerastorch[tf-files]` (or "
                              "`pip install protobuf`).") from None
    return _CLASSES[name]


def parse(name, data, where):
    """Parses `data` as message `name`; a ValueError naming `where` if it is not one."""
    message = message_class(name)()  # first: says to install protobuf where it is missing
    from google.protobuf.message import DecodeError
    try:
        message.ParseFromString(data)
    except (DecodeError, RuntimeError, ValueError) as err:
        raise ValueError(f"Could not parse {where} as a TensorFlow {name} protobuf (truncated "
                         f"or corrupt file?): {err}") from None
    return message
