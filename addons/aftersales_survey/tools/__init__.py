"""Pure logic of the survey addon (no Odoo import): reproducible sampling of agent jobs
for happy calls, and the scorecard's normalized metrics and composite score."""

from .sampling import sample_bucket, sampled
from .scorecard import METRICS, composite, normalize

__all__ = ["METRICS", "composite", "normalize", "sample_bucket", "sampled"]

# Satisfaction report (issue 10, Reports)
from .satisfaction_xlsx import build_satisfaction_xlsx, satisfaction_totals

__all__ += ["build_satisfaction_xlsx", "satisfaction_totals"]
