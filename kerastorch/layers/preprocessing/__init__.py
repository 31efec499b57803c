"""Preprocessing and augmentation layers: Random* image augmentation, lookups, encodings, and
Rescaling, Resizing, CenterCrop and Normalization."""

from kerastorch.layers.preprocessing.random_brightness import RandomBrightness
from kerastorch.layers.preprocessing.random_contrast import RandomContrast
from kerastorch.layers.preprocessing.random_crop import RandomCrop
from kerastorch.layers.preprocessing.random_flip import RandomFlip
from kerastorch.layers.preprocessing.random_rotation import RandomRotation
from kerastorch.layers.preprocessing.random_translation import RandomTranslation
from kerastorch.layers.preprocessing.random_zoom import RandomZoom
from kerastorch.layers.preprocessing.category_encoding import CategoryEncoding
from kerastorch.layers.preprocessing.discretization import Discretization
from kerastorch.layers.preprocessing.hashing import Hashing
from kerastorch.layers.preprocessing.integer_lookup import IntegerLookup
from kerastorch.layers.preprocessing.string_lookup import StringLookup
from kerastorch.layers.preprocessing.text_vectorization import TextVectorization
from kerastorch.layers.preprocessing.center_crop import CenterCrop
from kerastorch.layers.preprocessing.normalization import Normalization
from kerastorch.layers.preprocessing.rescaling import Rescaling
from kerastorch.layers.preprocessing.resizing import Resizing
