
from . import portal
