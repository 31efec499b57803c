"""`keras.preprocessing.text` (Keras 2): Tokenizer and the word helpers."""

from kerastorch.legacy.preprocessing.text import Tokenizer  # noqa: F401
from kerastorch.legacy.preprocessing.text import hashing_trick  # noqa: F401
from kerastorch.legacy.preprocessing.text import one_hot  # noqa: F401
from kerastorch.legacy.preprocessing.text import text_to_word_sequence  # noqa: F401
from kerastorch.legacy.preprocessing.text import tokenizer_from_json  # noqa: F401
