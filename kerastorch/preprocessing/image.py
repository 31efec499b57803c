"""`keras.preprocessing.image` (Keras 2: ImageDataGenerator and friends; Keras 3 keeps the
`load_img` family here)."""

from kerastorch.legacy.preprocessing.image import DataFrameIterator  # noqa: F401
from kerastorch.legacy.preprocessing.image import DirectoryIterator  # noqa: F401
from kerastorch.legacy.preprocessing.image import ImageDataGenerator  # noqa: F401
from kerastorch.legacy.preprocessing.image import Iterator  # noqa: F401
from kerastorch.legacy.preprocessing.image import NumpyArrayIterator  # noqa: F401
from kerastorch.legacy.preprocessing.image import apply_affine_transform  # noqa: F401
from kerastorch.legacy.preprocessing.image import apply_brightness_shift  # noqa: F401
from kerastorch.legacy.preprocessing.image import apply_channel_shift  # noqa: F401
from kerastorch.legacy.preprocessing.image import random_brightness  # noqa: F401
from kerastorch.legacy.preprocessing.image import random_channel_shift  # noqa: F401
from kerastorch.legacy.preprocessing.image import random_rotation  # noqa: F401
from kerastorch.legacy.preprocessing.image import random_shear  # noqa: F401
from kerastorch.legacy.preprocessing.image import random_shift  # noqa: F401
from kerastorch.legacy.preprocessing.image import random_zoom  # noqa: F401
from kerastorch.utils.image_utils import array_to_img  # noqa: F401
from kerastorch.utils.image_utils import img_to_array  # noqa: F401
from kerastorch.utils.image_utils import load_img  # noqa: F401
from kerastorch.utils.image_utils import save_img  # noqa: F401
from kerastorch.utils.image_utils import smart_resize  # noqa: F401
