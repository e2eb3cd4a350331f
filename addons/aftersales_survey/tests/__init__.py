from . import test_happy_calls
from . import test_scorecards
from . import test_reports
from . import test_portal
from . import test_api
