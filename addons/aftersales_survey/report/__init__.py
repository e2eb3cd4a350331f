from . import report_satisfaction_summary
