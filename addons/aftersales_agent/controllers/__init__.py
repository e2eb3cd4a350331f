from . import portal
from . import agent_extras
from . import statement
