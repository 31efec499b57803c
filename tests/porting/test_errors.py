"""The errors for APIs kerastorch lacks: messages naming the API, and each also the builtin
error Python code tests for (hasattr sees AttributeError, `try: import` sees ImportError)."""

import pytest

from kerastorch.porting.errors import (NotSupportedAttributeError, NotSupportedError,
                                       NotSupportedImportError)


def test_message_names_the_api_and_detail():
    e = NotSupportedError("keras.layers.Foo")
    assert str(e) == "keras.layers.Foo is not supported yet by kerastorch."
    assert e.api == "keras.layers.Foo"
    e = NotSupportedError("tf.foo", "use bar")
    assert str(e) == "tf.foo is not supported yet by kerastorch (use bar)."
    assert isinstance(e, NotImplementedError)


def test_attribute_error_makes_hasattr_false():
    class Module:
        def __getattr__(self, name):
            raise NotSupportedAttributeError(f"keras.{name}")

    assert not hasattr(Module(), "missing")
    with pytest.raises(NotSupportedError, match="keras.missing"):
        Module().missing  # noqa: B018


def test_import_error_carries_the_name():
    e = NotSupportedImportError("keras.legacy_thing", "no torch equivalent")
    assert isinstance(e, ImportError) and isinstance(e, NotSupportedError)
    assert e.name == "keras.legacy_thing"
    assert "no torch equivalent" in str(e)
    try:
        raise e
    except ImportError as caught:  # the `try: import x / except ImportError` idiom
        assert caught is e
