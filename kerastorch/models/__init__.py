"""keras.models."""

from kerastorch.models.model import Functional
from kerastorch.models.model import Model
from kerastorch.models.sequential import Sequential
from kerastorch.models.cloning import clone_model
from kerastorch.saving.saving_api import load_model
from kerastorch.saving.saving_api import save_model
from kerastorch.saving.saving_api import model_from_config
from kerastorch.saving.saving_api import model_from_json
