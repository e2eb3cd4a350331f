from . import aftersales_part_request_decide
from . import aftersales_core_receive
from . import aftersales_stock_layout
from . import aftersales_supplier_claim_credit
from . import aftersales_stock_report_wizard
