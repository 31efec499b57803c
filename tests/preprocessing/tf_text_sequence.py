"""Oracle side of tests/preprocessing/test_text.py and test_sequence.py: runs the cases of
`cases.json` (argv[1]) through real tf.keras 2.21 and writes `tf_out.json` beside it.

Imports only tf_keras / numpy / json (no torch, no kerastorch).
"""

import json
import random
import sys
from pathlib import Path

import numpy as np
from tf_keras.preprocessing import sequence as tf_sequence
from tf_keras.preprocessing import text as tf_text

ANALYZERS = {"comma": lambda t: t.split(",")}


def tokenizer_case(case):
    kwargs = dict(case["kwargs"])
    if "analyzer" in kwargs:
        kwargs["analyzer"] = ANALYZERS[kwargs["analyzer"]]
    tok = tf_text.Tokenizer(**kwargs)
    tok.fit_on_texts(case["fit"])
    out = {
        "word_index": list(tok.word_index.items()),
        "word_counts": list(tok.word_counts.items()),
        "word_docs": dict(tok.word_docs),
        "index_docs": {str(k): v for k, v in tok.index_docs.items()},
        "document_count": tok.document_count,
        "sequences": tok.texts_to_sequences(case["convert"]),
        "texts": tok.sequences_to_texts(tok.texts_to_sequences(case["convert"])),
        "matrices": {mode: tok.texts_to_matrix(case["convert"], mode=mode).tolist()
                     for mode in ("binary", "count", "tfidf", "freq")},
        "config": json.loads(tok.to_json())["config"],
        "json": tok.to_json(),
    }
    # kerastorch's JSON, read back by tf.keras.
    theirs = tf_text.tokenizer_from_json(case["kerastorch_json"])
    out["from_kerastorch_json"] = theirs.texts_to_sequences(case["convert"])
    out["from_kerastorch_json_matrix"] = theirs.texts_to_matrix(case["convert"],
                                                               mode="tfidf").tolist()
    return out


def main():
    path = Path(sys.argv[1])
    cases = json.loads(path.read_text())
    out = {"tokenizer": [tokenizer_case(c) for c in cases.get("tokenizer", [])]}
    out["words"] = [tf_text.text_to_word_sequence(*c) for c in cases.get("words", [])]
    out["md5"] = [tf_text.hashing_trick(t, n, hash_function="md5") for t, n in
                  cases.get("md5", [])]
    seqs = []
    for c in cases.get("fit_on_sequences", []):
        tok = tf_text.Tokenizer(num_words=c["num_words"])
        tok.fit_on_sequences(c["sequences"])
        seqs.append({m: tok.sequences_to_matrix(c["sequences"], mode=m).tolist()
                     for m in ("binary", "count", "tfidf", "freq")})
    out["fit_on_sequences"] = seqs
    out["pad"] = []
    for c in cases.get("pad", []):
        padded = tf_sequence.pad_sequences(c["sequences"], **c["kwargs"])
        out["pad"].append([padded.tolist(), str(padded.dtype)])
    out["skipgrams"] = []
    for c in cases.get("skipgrams", []):
        random.seed(c["python_seed"])
        kwargs = dict(c["kwargs"])
        if kwargs.pop("sampling_table", None):
            kwargs["sampling_table"] = tf_sequence.make_sampling_table(
                c["kwargs"]["vocabulary_size"], sampling_factor=0.5)
        couples, labels = tf_sequence.skipgrams(c["sequence"], **kwargs)
        out["skipgrams"].append([couples, labels])
    out["sampling_table"] = [tf_sequence.make_sampling_table(*c).tolist()
                             for c in cases.get("sampling_table", [])]
    out["timeseries"] = []
    for c in cases.get("timeseries", []):
        data = np.asarray(c["data"], dtype="float32")
        np.random.seed(c.get("numpy_seed", 0))
        gen = tf_sequence.TimeseriesGenerator(data, np.asarray(c["targets"]), **c["kwargs"])
        out["timeseries"].append({
            "len": len(gen),
            "batches": [[x.tolist(), y.tolist()] for x, y in (gen[i] for i in range(len(gen)))],
            "config": json.loads(gen.to_json())["config"],
        })
    out["errors"] = {}
    for name, call in (
            ("matrix_unfit", lambda: tf_text.Tokenizer().texts_to_matrix(["a b"])),
            ("timeseries_lengths", lambda: tf_sequence.TimeseriesGenerator(
                np.zeros(5), np.zeros(4), length=2)),
            ("timeseries_start", lambda: tf_sequence.TimeseriesGenerator(
                np.zeros(5), np.zeros(5), length=5))):
        try:
            call()
            out["errors"][name] = None
        except Exception as err:  # noqa: BLE001 - the oracle reports every error kind
            out["errors"][name] = [type(err).__name__, str(err)]
    (path.parent / "tf_out.json").write_text(json.dumps(out))


if __name__ == "__main__":
    main()
