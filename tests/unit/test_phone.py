import pytest
from conftest import load_tools

tools = load_tools("aftersales_base")


@pytest.mark.parametrize(
    "text",
    [
        "021-88776655",
        "021 8877 6655",
        "۰۲۱۸۸۷۷۶۶۵۵",
        "٠٢١٨٨٧٧٦٦٥٥",
        "+98 21 8877 6655",
        "00982188776655",
        "(021) 88776655",
    ],
)
def test_tehran_landline_in_every_spelling(text):
    info = tools.parse_phone(text)
    assert info.e164 == "+982188776655"
    assert info.kind == "landline"
    assert info.area_code == "021"
    assert info.province_code == "23"
    assert tools.IRAN_PROVINCES[info.province_code][0] == "Tehran"


@pytest.mark.parametrize(
    ("text", "area", "province"),
    [
        ("031 3222 1234", "031", "Isfahan"),
        ("026 3200 1122", "026", "Alborz"),
        ("071 2345 6789", "071", "Fars"),
        ("051 3845 1234", "051", "Razavi Khorasan"),
        ("011 3320 1122", "011", "Mazandaran"),
        ("087 3322 1234", "087", "Kurdistan"),
    ],
)
def test_area_code_gives_province(text, area, province):
    info = tools.parse_phone(text)
    assert info.area_code == area
    assert tools.IRAN_PROVINCES[info.province_code][0] == province


@pytest.mark.parametrize("text", ["09121234567", "۰۹۱۲۱۲۳۴۵۶۷", "+989121234567", "0935 765 4321"])
def test_mobile_has_no_region(text):
    info = tools.parse_phone(text)
    assert info.kind == "mobile"
    assert info.area_code is None
    assert info.province_code is None


@pytest.mark.parametrize("text", ["", "   ", "abc", "0912", "88776655", "021", "+98 21 1"])
def test_invalid_numbers_raise(text):
    with pytest.raises(tools.PhoneError) as err:
        tools.parse_phone(text)
    assert err.value.code in ("empty", "invalid")
    assert tools.normalize_phone(text) is False


def test_foreign_number_keeps_country_and_no_region():
    info = tools.parse_phone("+1 415 555 2671")
    assert info.country_code == 1
    assert info.province_code is None


def test_national_format():
    assert tools.parse_phone("+982188776655").national.startswith("021")


def test_every_area_code_points_to_a_province_and_all_31_are_covered():
    assert len(tools.IRAN_PROVINCES) == 31
    assert set(tools.AREA_CODE_PROVINCES.values()) == set(tools.IRAN_PROVINCES)
    assert tools.province_for_area_code("021") == "23"
    assert tools.province_for_area_code("21") == "23"
    assert tools.province_for_area_code("099") is None
    assert tools.province_for_area_code(None) is None


def test_iranian_number_accepted_when_company_is_elsewhere():
    assert tools.parse_phone("021 8877 6655", default_region="US").e164 == "+982188776655"
    # a valid number of the company's own country keeps precedence
    assert tools.parse_phone("(415) 555-2671", default_region="US").e164 == "+14155552671"
    assert tools.parse_phone("021 8877 6655", default_region=None).province_code == "23"
