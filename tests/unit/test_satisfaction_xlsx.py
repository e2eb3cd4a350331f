import io

import openpyxl
import pytest
from conftest import load_tools

tools = load_tools("aftersales_survey")

LABELS = {
    "title": "Satisfaction",
    "group": "Service Agent",
    "answered": "Calls Answered",
    "mean": "Mean Satisfaction (%)",
    "unhappy": "Unhappy",
    "complaints": "Complaints Opened",
    "opportunities": "Opportunities",
    "total": "Total",
}
ROWS = [
    {
        "label": "Agent A",
        "answered": 2,
        "score_sum": 150.0,
        "mean": 75.0,
        "unhappy": 1,
        "complaints": 1,
        "opportunities": 1,
    },
    {
        "label": "Agent B",
        "answered": 3,
        "score_sum": 100.0,
        "mean": 100.0 / 3,
        "unhappy": 2,
        "complaints": 2,
        "opportunities": 0,
    },
]


def _rows(data):
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return sheet, [list(row) for row in sheet.iter_rows(values_only=True)]


def test_totals_weight_the_mean_by_calls():
    total = tools.satisfaction_totals(ROWS)
    assert (total["answered"], total["unhappy"], total["complaints"]) == (5, 3, 3)
    assert total["opportunities"] == 1
    # (150 + 100) / 5, not the mean of 75 and 33.3.
    assert total["mean"] == pytest.approx(50.0)


def test_totals_of_nothing_have_no_mean():
    total = tools.satisfaction_totals([])
    assert total["answered"] == 0
    assert total["mean"] is None


def test_sheet_title_subtitles_header_rows_and_total():
    sheet, rows = _rows(
        tools.build_satisfaction_xlsx(ROWS, LABELS, subtitles=["Period: 1405/08/01 to 1405/08/30"])
    )
    assert sheet.title == "Satisfaction"
    assert not sheet.sheet_view.rightToLeft
    assert rows[0][0] == "Satisfaction"
    assert rows[1][0] == "Period: 1405/08/01 to 1405/08/30"
    header = rows.index(
        [
            "Service Agent",
            "Calls Answered",
            "Mean Satisfaction (%)",
            "Unhappy",
            "Complaints Opened",
            "Opportunities",
        ]
    )
    assert rows[header + 1] == ["Agent A", 2, 75.0, 1, 1, 1]
    assert rows[header + 2] == ["Agent B", 3, 33.33, 2, 2, 0]
    assert rows[header + 3] == ["Total", 5, 50.0, 3, 3, 1]
    assert len(rows) == header + 4
    # The header stays in view while scrolling.
    assert sheet.freeze_panes == f"A{header + 2}"


def test_right_to_left_and_empty_mean():
    rows = [
        {
            "label": "بدون پاسخ",
            "answered": 0,
            "mean": None,
            "unhappy": 0,
            "complaints": 0,
            "opportunities": 0,
        }
    ]
    sheet, values = _rows(tools.build_satisfaction_xlsx(rows, LABELS, rtl=True))
    assert sheet.sheet_view.rightToLeft
    assert ["بدون پاسخ", 0, None, 0, 0, 0] in values
    assert values[-1] == ["Total", 0, None, 0, 0, 0]
