import pytest
from conftest import load_tools

tools = load_tools("aftersales_survey")


def test_sampling_is_reproducible_and_proportional():
    picks = [tools.sampled("seed", key, 20) for key in range(5000)]
    assert picks == [tools.sampled("seed", key, 20) for key in range(5000)]
    assert 900 < sum(picks) < 1100  # about a fifth
    assert not any(tools.sampled("seed", key, 0) for key in range(500))
    assert all(tools.sampled("seed", key, 100) for key in range(500))
    # Another secret, another sample.
    assert picks != [tools.sampled("other", key, 20) for key in range(5000)]


@pytest.mark.parametrize("share", [-1, 101, None])
def test_sampling_share_out_of_range(share):
    with pytest.raises(ValueError):
        tools.sampled("seed", 1, share)


def test_normalize_by_hand():
    figures = tools.normalize(
        jobs=4,
        satisfaction=75.0,
        penalty_points=1,
        capacity=30,
        repeats=2,
        reports=3,
        confirmed=2,
        sla_ok=3,
        sla_total=4,
        cores_due=4,
        cores_late=1,
    )
    assert figures["satisfaction"] == 75.0
    assert figures["complaints"] == 75.0
    assert figures["workload"] == pytest.approx(400 / 30)
    assert figures["repeats"] == 50.0
    assert figures["confirmed"] == pytest.approx(200 / 3)
    assert figures["sla"] == 75.0
    assert figures["cores"] == 75.0


def test_normalize_without_data():
    figures = tools.normalize()
    assert all(value is None for value in figures.values())
    capped = tools.normalize(jobs=50, capacity=10, penalty_points=100)
    assert capped["workload"] == 100.0
    assert capped["complaints"] == 0.0


def test_composite():
    figures = dict.fromkeys(tools.METRICS)
    figures.update(satisfaction=80.0, sla=40.0)
    weights = {"satisfaction": 3, "sla": 1, "workload": 5}
    # Workload has no value: it does not count.
    assert tools.composite(figures, weights) == pytest.approx((3 * 80 + 40) / 4)
    assert tools.composite(dict.fromkeys(tools.METRICS), weights) is None
    with pytest.raises(ValueError, match="sum to zero"):
        tools.composite(figures, {"satisfaction": 0})
    with pytest.raises(ValueError, match="negative"):
        tools.composite(figures, {"satisfaction": 2, "sla": -1})
