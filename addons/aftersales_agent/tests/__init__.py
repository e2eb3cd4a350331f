from . import test_tools_glue
from . import test_routing
from . import test_work_report
from . import test_settlement
