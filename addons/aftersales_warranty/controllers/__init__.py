from . import provision
