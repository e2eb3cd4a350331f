from . import test_policy
from . import test_card_issue
from . import test_card_lifecycle
from . import test_warranty_check
from . import test_delivery
from . import test_request
from . import test_concurrency
from . import test_security
