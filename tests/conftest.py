import pytest
import torch

import kerastorch


@pytest.fixture(autouse=True)
def _fresh_session():
    """Each test starts with fresh name counters and a fixed seed."""
    kerastorch.backend.clear_session()
    torch.manual_seed(0)
    yield
