"""porting/tf/control_flow.py against real TensorFlow 2.21: the cases of control_flow_cases.py run
under both and give the same values, dtypes, shapes and error types."""

import pytest

from tests.keras2.oracle import run_tf

from tests.porting.tf import parity

CASES = parity.case_names("control_flow_cases.py")


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return parity.both("control_flow_cases.py", tmp_path_factory.mktemp("control_flow"))


@pytest.mark.parametrize("name", CASES)
def test_case_matches_tensorflow(results, name):
    ours, theirs = results
    parity.assert_same(ours[name], theirs[name], name)


def test_tf_print_prints_as_tensorflow_does(tmp_path):
    script = str(parity.HERE / "print_script.py")
    theirs = run_tf(script)
    ours = parity.run_kerastorch(script, tmp_path)
    assert ours.splitlines() == theirs.splitlines()
