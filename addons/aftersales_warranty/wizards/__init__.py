from . import aftersales_warranty_void
from . import aftersales_warranty_transfer
from . import aftersales_warranty_extend
from . import aftersales_warranty_check
from . import aftersales_warranty_dealer_replace
from . import aftersales_warranty_extension_offer
from . import aftersales_warranty_batch_issue
