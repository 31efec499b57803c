"""`keras.preprocessing.text` against real tf.keras 2.21: the same vocabularies, sequences,
matrices (every mode, float64, compared exactly up to 1e-12) and JSON, in both directions."""

import json

import numpy as np
import pytest

from kerastorch.preprocessing import text
from tests.preprocessing.oracle_cases import run_cases

FIT = ["The cat sat on the mat.", "The dog ate my homework!", "Cat and dog: friends?",
       "the the the end", "", "Zebra\tcrossing\nahead"]
CONVERT = ["the cat and the zebra", "unknown words here", "", "dog dog DOG", "mat, homework"]
ANALYZERS = {"comma": lambda t: t.split(",")}

TOKENIZERS = {
    "default": {},
    "num_words": {"num_words": 5},
    "oov": {"oov_token": "<OOV>"},
    "oov_num_words": {"num_words": 4, "oov_token": "<OOV>"},
    "no_lower": {"lower": False},
    "filters_split": {"filters": "!", "split": " "},
    "char_level": {"char_level": True, "num_words": 8},
    "char_level_oov": {"char_level": True, "oov_token": "#"},
    "analyzer": {"analyzer": "comma"},
}
WORDS = [["Hello, World! Again..."], ["a-b-c d", "-", True, "-"], ["Tab\there, NEW\nline", "",
                                                                   False, " "]]
MD5 = [["the cat sat on the mat", 10], ["Some other Words words", 1000]]
ON_SEQUENCES = [{"num_words": 6, "sequences": [[1, 2, 2, 5], [3], [], [1, 1, 9]]}]


def _tokenizer(kwargs):
    kwargs = dict(kwargs)
    if "analyzer" in kwargs:
        kwargs["analyzer"] = ANALYZERS[kwargs["analyzer"]]
    tok = text.Tokenizer(**kwargs)
    tok.fit_on_texts(FIT)
    return tok


@pytest.fixture(scope="module")
def tf_out(tmp_path_factory):
    cases = {
        "tokenizer": [{"kwargs": kw, "fit": FIT, "convert": CONVERT,
                       "kerastorch_json": _tokenizer(kw).to_json()}
                      for kw in TOKENIZERS.values()],
        "words": WORDS, "md5": MD5, "fit_on_sequences": ON_SEQUENCES,
    }
    return run_cases("tf_text_sequence.py", cases, tmp_path_factory.mktemp("tf_text"))


@pytest.mark.parametrize("name", list(TOKENIZERS))
def test_tokenizer_vocabulary_matches_tf_keras(tf_out, name):
    theirs = tf_out["tokenizer"][list(TOKENIZERS).index(name)]
    tok = _tokenizer(TOKENIZERS[name])
    assert [list(p) for p in tok.word_index.items()] == theirs["word_index"]
    assert [list(p) for p in tok.word_counts.items()] == theirs["word_counts"]
    assert dict(tok.word_docs) == theirs["word_docs"]
    assert {str(k): v for k, v in tok.index_docs.items()} == theirs["index_docs"]
    assert tok.document_count == theirs["document_count"]
    assert tok.index_word == {i: w for w, i in tok.word_index.items()}


@pytest.mark.parametrize("name", list(TOKENIZERS))
def test_tokenizer_conversions_match_tf_keras(tf_out, name):
    theirs = tf_out["tokenizer"][list(TOKENIZERS).index(name)]
    tok = _tokenizer(TOKENIZERS[name])
    sequences = tok.texts_to_sequences(CONVERT)
    assert sequences == theirs["sequences"]
    assert list(tok.texts_to_sequences_generator(CONVERT)) == sequences
    assert tok.sequences_to_texts(sequences) == theirs["texts"]
    for mode, matrix in theirs["matrices"].items():
        ours = tok.texts_to_matrix(CONVERT, mode=mode)
        assert ours.dtype == np.float64
        np.testing.assert_allclose(ours, np.array(matrix), rtol=0, atol=1e-12, err_msg=mode)


@pytest.mark.parametrize("name", list(TOKENIZERS))
def test_tokenizer_json_round_trips_both_ways(tf_out, name):
    theirs = tf_out["tokenizer"][list(TOKENIZERS).index(name)]
    tok = _tokenizer(TOKENIZERS[name])
    ours = json.loads(tok.to_json())
    assert ours["class_name"] == "Tokenizer"
    for key, value in theirs["config"].items():
        if key in ("word_counts", "word_docs", "index_docs", "index_word", "word_index"):
            assert json.loads(ours["config"][key]) == json.loads(value), key
        elif key != "analyzer":
            assert ours["config"][key] == value, key
    assert set(ours["config"]) == set(theirs["config"])
    if "analyzer" in TOKENIZERS[name]:
        return  # a function is not in the JSON, in either library
    # tf.keras read kerastorch's JSON; kerastorch reads tf.keras's.
    assert theirs["from_kerastorch_json"] == theirs["sequences"]
    np.testing.assert_allclose(theirs["from_kerastorch_json_matrix"],
                               theirs["matrices"]["tfidf"], atol=1e-12)
    loaded = text.tokenizer_from_json(theirs["json"])
    assert loaded.texts_to_sequences(CONVERT) == theirs["sequences"]
    np.testing.assert_allclose(loaded.texts_to_matrix(CONVERT, mode="tfidf"),
                               np.array(theirs["matrices"]["tfidf"]), atol=1e-12)
    assert loaded.word_index == tok.word_index and loaded.index_word == tok.index_word


def test_word_helpers_match_tf_keras(tf_out):
    assert [text.text_to_word_sequence(*c) for c in WORDS] == tf_out["words"]
    assert [text.hashing_trick(t, n, hash_function="md5") for t, n in MD5] == tf_out["md5"]


def test_one_hot_indices_are_in_range_and_consistent():
    ids = text.one_hot("the cat and the hat, THE end", 7)
    assert len(ids) == 7 and all(1 <= i < 7 for i in ids)
    assert ids[0] == ids[3] == ids[5]  # the same word, the same index (case folded)
    custom = text.hashing_trick("a bb ccc", 100, hash_function=len)
    assert custom == [2, 3, 4]


def test_sequences_to_matrix_after_fit_on_sequences_matches_tf_keras(tf_out):
    for case, theirs in zip(ON_SEQUENCES, tf_out["fit_on_sequences"]):
        tok = text.Tokenizer(num_words=case["num_words"])
        tok.fit_on_sequences(case["sequences"])
        for mode, matrix in theirs.items():
            np.testing.assert_allclose(tok.sequences_to_matrix(case["sequences"], mode=mode),
                                       np.array(matrix), atol=1e-12, err_msg=mode)


def test_matrix_without_vocabulary_raises_like_tf_keras(tf_out):
    kind, message = tf_out["errors"]["matrix_unfit"]
    with pytest.raises(ValueError) as err:
        text.Tokenizer().texts_to_matrix(["a b"])
    assert kind == "ValueError" and str(err.value) == message


def test_unknown_mode_and_arguments_raise():
    tok = _tokenizer({})
    with pytest.raises(ValueError, match="Unknown vectorization mode: 'onehot'"):
        tok.texts_to_matrix(["the cat"], mode="onehot")
    with pytest.raises(TypeError, match="Unrecognized keyword arguments"):
        text.Tokenizer(num_word=3)
