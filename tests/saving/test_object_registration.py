"""saving/object_registration.py: register_keras_serializable, the global custom objects,
custom_object_scope and the lookup order of get_registered_object, compared with Keras 3."""

import pytest

import kerastorch as keras
from kerastorch.saving import object_registration
from tests.keras3 import import_keras3


@pytest.fixture
def clean_registry():
    objects = dict(object_registration.get_custom_objects())
    names = dict(object_registration._GLOBAL_CUSTOM_NAMES)
    yield
    object_registration.get_custom_objects().clear()
    object_registration.get_custom_objects().update(objects)
    object_registration._GLOBAL_CUSTOM_NAMES.clear()
    object_registration._GLOBAL_CUSTOM_NAMES.update(names)


def _register(k):
    saving = k.saving

    @saving.register_keras_serializable(package="pkg")
    class Thing:
        def get_config(self):
            return {}

    @saving.register_keras_serializable(package="pkg", name="renamed")
    def fn(x):
        return x

    @saving.register_keras_serializable()
    def plain(x):
        return x

    class Unregistered:
        pass

    names = (saving.get_registered_name(Thing), saving.get_registered_name(fn),
             saving.get_registered_name(plain), saving.get_registered_name(Unregistered))
    found = (saving.get_registered_object("pkg>Thing") is Thing,
             saving.get_registered_object("pkg>renamed") is fn,
             saving.get_registered_object("nothing") is None,
             saving.get_custom_objects()["Custom>plain"] is plain)
    return names, found


def test_registered_names_and_lookups(clean_registry):
    names, found = _register(keras)
    assert names == ("pkg>Thing", "pkg>renamed", "Custom>plain", "Unregistered")
    assert all(found)


def test_registration_matches_keras3(clean_registry):
    keras3 = import_keras3()
    try:
        theirs = _register(keras3)
    finally:
        for key in ("pkg>Thing", "pkg>renamed", "Custom>plain"):
            keras3.saving.get_custom_objects().pop(key, None)
    assert _register(keras) == theirs


def test_a_class_without_get_config_cannot_be_registered(clean_registry):
    with pytest.raises(ValueError, match=r"Cannot register a class that does not have a "
                                         r"get_config\(\) method"):
        keras.saving.register_keras_serializable()(type("NoConfig", (), {}))


def test_lookup_order_is_scopes_innermost_first_then_arguments_registry_module(clean_registry):
    lookup = object_registration.get_registered_object
    object_registration.get_custom_objects()["X"] = "registry"
    assert lookup("X", module_objects={"X": "module"}) == "registry"
    assert lookup("X", custom_objects={"X": "argument"}) == "argument"
    assert lookup("Y", module_objects={"Y": "module"}) == "module"
    with keras.saving.custom_object_scope({"X": "outer"}):
        assert lookup("X", custom_objects={"X": "argument"}) == "outer"
        with keras.saving.CustomObjectScope({"X": "inner"}):
            assert lookup("X") == "inner"
            assert object_registration.scoped_custom_objects() == [{"X": "outer"},
                                                                   {"X": "inner"}]
        assert lookup("X") == "outer"
    assert lookup("X") == "registry"
    assert object_registration.scoped_custom_objects() == []


def test_scope_objects_are_found_while_loading(tmp_path):
    class Doubler(keras.layers.Layer):
        def call(self, x):
            return x * 2

    model = keras.Sequential([keras.Input((2,)), Doubler(name="doubler")])
    path = tmp_path / "m.keras"
    model.save(path)
    with pytest.raises(ValueError, match="Could not locate class 'Doubler'"):
        keras.models.load_model(path)
    with keras.saving.custom_object_scope({"Doubler": Doubler}):
        loaded = keras.models.load_model(path)
    assert type(loaded.layers[0]) is Doubler
