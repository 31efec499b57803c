"""porting/tf/debugging.py against real TensorFlow 2.21: the cases of debugging_cases.py run under
both and give the same values, dtypes, shapes and error types."""

import pytest

from tests.porting.tf import parity

CASES = parity.case_names("debugging_cases.py")


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return parity.both("debugging_cases.py", tmp_path_factory.mktemp("debugging"))


@pytest.mark.parametrize("name", CASES)
def test_case_matches_tensorflow(results, name):
    ours, theirs = results
    parity.assert_same(ours[name], theirs[name], name)
