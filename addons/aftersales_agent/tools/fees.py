"""The fee of a job from a rate card (R-AGT-4).

A rate card holds rates keyed by report type, product category and zone (in the agent's
city or out of it). The best rate for a job is the most specific one that applies: a rate
for the device's own category beats one for a parent category, which beats one for every
category; a rate for the job's zone beats one for both zones; ``sequence`` breaks ties.
"""

from collections import namedtuple

IN_CITY = "in_city"
OUT_OF_CITY = "out_of_city"
ANY_ZONE = "any"

#: One rate: ``category_path`` is the list of category ids from the rate's category down
#: to the root (empty for every category); ``zone`` is one of the zones above.
FeeRate = namedtuple("FeeRate", "key report_type category_id zone sequence amount")


def _fold(text):
    return " ".join((text or "").split()).casefold()


def travel_zone(job_city, agent_cities):
    """``in_city`` when the job's city is one of the agent's cities, else ``out_of_city``.

    Cities compare without case and extra spaces; a job without a city is in the city
    (nothing says the agent travelled).
    """
    city = _fold(job_city)
    if not city:
        return IN_CITY
    return IN_CITY if city in {_fold(c) for c in agent_cities if c} else OUT_OF_CITY


def best_rate(rates, report_type, category_ancestors, zone):
    """The rate of ``rates`` for a job, or ``None``.

    ``category_ancestors``: the device's category id first, then its parents up to the
    root. A rate without category applies to every category.
    """
    depth = {categ_id: index for index, categ_id in enumerate(category_ancestors)}
    best, best_key = None, None
    for rate in rates:
        if rate.report_type != report_type:
            continue
        if rate.zone not in (zone, ANY_ZONE):
            continue
        if rate.category_id:
            if rate.category_id not in depth:
                continue
            category_rank = depth[rate.category_id]
        else:
            category_rank = len(category_ancestors) + 1
        key = (category_rank, 0 if rate.zone == zone else 1, rate.sequence, rate.key)
        if best_key is None or key < best_key:
            best, best_key = rate, key
    return best
