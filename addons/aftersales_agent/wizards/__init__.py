from . import aftersales_work_report_decide
from . import aftersales_work_report_part_void
from . import aftersales_technician_commission_run
from . import aftersales_agent_statement_wizard
from . import aftersales_work_report_fee_correct
