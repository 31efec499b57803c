"""KerasSaveable: the saving API of a model (`save`, `save_weights`, `load_weights`, configs).

Mixed into `Model`; the work is done by `saving_api`, `saving_lib` and `model_config`.
"""

import json


class KerasSaveable:
    """Mixed into `Model`: `save()`, `save_weights()`, `load_weights()`, `get_config()`,
    `from_config()` and `to_json()` in Keras 3's formats."""

    def save(self, filepath, overwrite=True, **kwargs):
        """Saves the model: `model.keras` (Keras 3's zip, recommended) or `model.h5` (Keras 2).

        Example:
            >>> model.save("model.keras")
            >>> restored = keras.models.load_model("model.keras")
        """
        from kerastorch.distribution import ddp as distribute
        from kerastorch.saving import saving_api
        if distribute.active() and not distribute.is_chief():
            return None  # under torchrun only rank 0 writes: the replicas are identical
        return saving_api.save_model(self, filepath, overwrite=overwrite, **kwargs)

    def save_weights(self, filepath, overwrite=True, **kwargs):
        """Saves the weights to `*.weights.h5` (Keras 3), `*.h5` (Keras 2) or `*.pt` (torch)."""
        from kerastorch.distribution import ddp as distribute
        from kerastorch.saving import saving_api
        if distribute.active() and not distribute.is_chief():
            return None  # under torchrun only rank 0 writes: the replicas are identical
        return saving_api.save_weights(self, filepath, overwrite=overwrite, **kwargs)

    def load_weights(self, filepath, skip_mismatch=False, by_name=False, **kwargs):
        """Loads weights saved by Keras 3, Keras 2 or kerastorch (format from the extension).

        Args:
            filepath: `*.weights.h5`, `*.h5`, `*.keras` or `*.pt`/`*.pth`.
            skip_mismatch: skip weights whose shape (or layers whose weight count) differs.
            by_name: Keras 2 `.h5` only: match layers by name rather than by position.

        Raises:
            ValueError: the file does not fit the model (nothing in the model changes then).
        """
        from kerastorch.saving import saving_api
        return saving_api.load_weights(self, filepath, skip_mismatch=skip_mismatch,
                                       by_name=by_name, **kwargs)

    def get_config(self):
        from kerastorch.saving import model_config
        if hasattr(self, "_stack"):
            return model_config.sequential_config(self)
        if getattr(self, "_is_graph_network", False) and type(self).__init__ is \
                _model_class().__init__:
            return model_config.functional_config(self)
        return super().get_config()

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from kerastorch.saving import model_config
        from kerastorch.saving import object_registration
        with object_registration.custom_object_scope(custom_objects or {}):
            return model_config.model_from_config(cls, dict(config) if isinstance(config, dict)
                                                  else config, custom_objects)

    def to_json(self, **kwargs):
        """The model's config as a JSON string (Keras 3's format); see `model_from_json`."""
        from kerastorch.saving import saving_lib
        from kerastorch.saving import serialization_lib
        return json.dumps(serialization_lib.serialize_keras_object(self),
                          default=saving_lib.json_default, **kwargs)

    def get_build_config(self):
        from kerastorch.saving import serialization_lib
        return serialization_lib.get_build_config(self)

    def build_from_config(self, config):
        from kerastorch.saving import serialization_lib
        serialization_lib.build_from_config(self, config)


def _model_class():
    from kerastorch.models.model import Model
    return Model
