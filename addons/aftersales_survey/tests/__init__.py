from . import test_happy_calls
from . import test_scorecards
