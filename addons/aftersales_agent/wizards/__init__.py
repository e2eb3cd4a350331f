from . import aftersales_work_report_decide
from . import aftersales_work_report_part_void
