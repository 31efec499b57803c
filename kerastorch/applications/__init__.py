"""keras.applications: pretrained architectures backed by timm."""

from kerastorch.applications import xception
from kerastorch.applications.xception import Xception
