from . import test_parts_flow
from . import test_cores
from . import test_api
from . import test_supplier
from . import test_reports
from . import test_portal
