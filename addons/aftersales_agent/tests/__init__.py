from . import test_tools_glue
from . import test_routing
from . import test_work_report
from . import test_api_rules
from . import test_sms_confirmation
from . import test_technician
from . import test_portal
from . import test_ui
