"""keras.distribution: data-parallel training on torch DDP.

`distribution_lib.py` is Keras 3's API (`DataParallel`, `set_distribution`, `list_devices`);
`ddp.py` is the torch side `fit` uses under `torchrun` (process group, DistributedDataParallel,
metric reduction, gathering predictions).
"""

from kerastorch.distribution.distribution_lib import DataParallel
from kerastorch.distribution.distribution_lib import distribution
from kerastorch.distribution.distribution_lib import get_device_count
from kerastorch.distribution.distribution_lib import list_devices
from kerastorch.distribution.distribution_lib import set_distribution
