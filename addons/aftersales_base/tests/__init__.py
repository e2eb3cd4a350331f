from . import test_reception
from . import test_tracking_number
from . import test_workshop
from . import test_security
from . import test_customer360
from . import test_ui
from . import test_i18n
from . import test_complaint
