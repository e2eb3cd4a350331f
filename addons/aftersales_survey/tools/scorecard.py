"""Scorecard arithmetic (R-SRV-3/4/5, R-AGT-8). Each metric becomes a 0..100 figure where
more is better; the composite is the weighted mean of the metrics that have a value
(a metric without data, e.g. no happy call in the period, does not count)."""

#: metric -> meaning of the 0..100 figure
METRICS = (
    "satisfaction",  # mean happy-call score (%)
    "complaints",  # 100 - 100 x negative points per job done (floored at 0)
    "workload",  # jobs done / capacity of the period (capped at 100)
    "repeats",  # 100 - share of repeat repairs among the jobs done
    "confirmed",  # share of work reports confirmed by the customer
    "sla",  # share of jobs done within their SLA
    "cores",  # 100 - share of cores returned late or still owed past due
)


def _share(part, whole):
    return None if not whole else 100.0 * part / whole


def normalize(
    jobs=0,
    satisfaction=None,
    penalty_points=0,
    capacity=0,
    repeats=0,
    reports=0,
    confirmed=0,
    sla_ok=0,
    sla_total=0,
    cores_due=0,
    cores_late=0,
):
    """The 0..100 figures of the raw counts of one agent or technician in a period."""
    figures = dict.fromkeys(METRICS)
    figures["satisfaction"] = satisfaction
    if jobs:
        figures["complaints"] = max(0.0, 100.0 - 100.0 * penalty_points / jobs)
        figures["repeats"] = max(0.0, 100.0 - _share(repeats, jobs))
    if capacity:
        figures["workload"] = min(100.0, _share(jobs, capacity))
    figures["confirmed"] = _share(confirmed, reports)
    figures["sla"] = _share(sla_ok, sla_total)
    if cores_due:
        figures["cores"] = max(0.0, 100.0 - _share(cores_late, cores_due))
    return figures


def composite(figures, weights):
    """Weighted mean of the figures that have a value; ``None`` when none has.
    Refuses negative weights and weights that sum to zero."""
    if any((weight or 0) < 0 for weight in weights.values()):
        raise ValueError("weights cannot be negative")
    if not sum(weights.get(metric) or 0 for metric in METRICS):
        raise ValueError("the weights sum to zero")
    used = [
        (figures[metric], weights.get(metric) or 0)
        for metric in METRICS
        if figures.get(metric) is not None and weights.get(metric)
    ]
    total = sum(weight for _value, weight in used)
    if not total:
        return None
    return sum(value * weight for value, weight in used) / total
