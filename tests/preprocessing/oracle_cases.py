"""Runs a batch of cases through one of this folder's oracle scripts under real tf.keras 2.21
(one TensorFlow subprocess per call) and returns what it wrote."""

import json
from pathlib import Path

from tests.keras2.oracle import run_tf

HERE = Path(__file__).resolve().parent


def run_cases(script, cases, folder):
    """Writes `cases` to `folder/cases.json`, runs `script` on it; the parsed `tf_out.json`."""
    folder = Path(folder)
    (folder / "cases.json").write_text(json.dumps(cases))
    run_tf(HERE / script, folder / "cases.json")
    return json.loads((folder / "tf_out.json").read_text())
