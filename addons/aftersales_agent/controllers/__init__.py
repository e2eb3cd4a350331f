from . import agent_extras
