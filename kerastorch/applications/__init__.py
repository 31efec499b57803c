"""keras.applications: pretrained architectures backed by timm."""

from kerastorch.applications import xception
from kerastorch.applications.xception import Xception
from kerastorch.applications import vgg
from kerastorch.applications.vgg import VGG16
from kerastorch.applications.vgg import VGG19

vgg16 = vgg19 = vgg
