"""Rows of a batch issue of warranty cards: files, serial ranges and dates (R-WAR-1).

Pure Python, no ORM: the wizard turns these rows into cards. Errors are ``BatchError``
with a code and parameters; the wizard words them in the user's language. Persian
digits and the Jalali calendar come from ``aftersales_base.tools``, passed in by the
caller (this package loads alone in tier-1 tests, see ``__init__``).
"""

import csv
import datetime
import io
import re
from collections import namedtuple

# A range is typed by hand: beyond this, a file is the right tool (and a typo in the
# last number must not create millions of serials).
MAX_RANGE = 100000

# Header cell (lower-cased, spaces and underscores squeezed) -> column.
COLUMNS = {
    "serial": "serial",
    "serial number": "serial",
    "serial no": "serial",
    "lot": "serial",
    "سریال": "serial",
    "شماره سریال": "serial",
    "product": "product",
    "product code": "product",
    "internal reference": "product",
    "محصول": "product",
    "کالا": "product",
    "customer": "customer",
    "مشتری": "customer",
    "dealer": "dealer",
    "نماینده": "dealer",
    "date": "date",
    "issue date": "date",
    "تاریخ": "date",
}
REQUIRED_COLUMNS = ("serial", "product")

BatchRow = namedtuple("BatchRow", "line serial product customer dealer date")
BatchRow.__doc__ = """One row of a file: ``line`` its line number in the file (the
header is line 1), the other fields as read (text, or a date/number from a sheet)."""

_DATE = re.compile(r"^\s*(\d{1,4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,4})\s*$")
# Years before this are Jalali (1300..1499 today), after it Gregorian.
_JALALI_BEFORE = 1700


class BatchError(ValueError):
    """A problem of the whole input; ``code`` names it, ``params`` fill its message."""

    def __init__(self, code, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params


def expand_range(prefix, first, last, padding=0):
    """Serial numbers ``prefix + number`` from ``first`` to ``last`` included.

    ``padding`` zero-fills the number to that many digits (``SN000100``). Codes:
    ``range_order`` (last before first or a negative number), ``range_size`` (more
    than ``MAX_RANGE``), ``range_padding`` (a number longer than the padding).
    """
    prefix = (prefix or "").strip()
    if first is None or last is None or first < 0 or last < first:
        raise BatchError("range_order", first=first, last=last)
    if last - first + 1 > MAX_RANGE:
        raise BatchError("range_size", count=last - first + 1, limit=MAX_RANGE)
    padding = max(padding or 0, 0)
    if padding and len(str(last)) > padding:
        raise BatchError("range_padding", last=last, padding=padding)
    return [f"{prefix}{number:0{padding}d}" for number in range(first, last + 1)]


def parse_date(value, from_jalali, to_ascii_digits):
    """A ``datetime.date`` from a cell: a date, an ISO Gregorian ``2024-08-02``, or a
    Jalali ``1403/05/12`` (Persian or Arabic digits welcome). Empty gives ``None``.

    ``from_jalali(year, month, day)`` and ``to_ascii_digits(text)`` are those of
    ``aftersales_base.tools``. ``ValueError`` for anything else.
    """
    if value is None or value is False:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = to_ascii_digits(str(value)).strip()
    if not text:
        return None
    # A sheet's date cell typed as text sometimes keeps its midnight: "2024-08-02 00:00:00".
    text = text.split(" ")[0].split("T")[0]
    match = _DATE.match(text)
    if not match:
        raise ValueError(f"not a date: {value!r}")
    year, month, day = (int(part) for part in match.groups())
    if len(match.group(1)) != 4:
        raise ValueError(f"year first: {value!r}")
    if year < _JALALI_BEFORE:
        return from_jalali(year, month, day)
    return datetime.date(year, month, day)


def cell_text(value):
    """A cell as text: numbers from a sheet without their ``.0``, empty as ``""``."""
    if value is None or value is False:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_csv(data):
    """``BatchRow`` list of CSV bytes (UTF-8, with or without BOM; comma, semicolon or
    tab). Codes: ``encoding``, ``empty``, ``columns`` (``missing`` lists them)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BatchError("encoding") from exc
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    records = []
    for values in reader:
        # line_num is the line the record ends on: right even after a quoted newline.
        records.append((reader.line_num, values))
    return _rows(records)


def read_xlsx(data):
    """``BatchRow`` list of the first sheet of an XLSX workbook (openpyxl, which Odoo
    ships). Codes: ``xlsx`` (not a workbook), ``empty``, ``columns``."""
    # Imported here: Odoo ships openpyxl, tier-1 tests of the rest run without it.
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl errors alike: not a workbook
        raise BatchError("xlsx") from exc
    try:
        sheet = workbook.worksheets[0]
        records = [
            (number, list(values))
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()
    return _rows(records)


def read_file(data, file_name):
    """``read_xlsx`` for an ``.xlsx`` name (or a ZIP signature), else ``read_csv``."""
    name = (file_name or "").lower()
    if name.endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        return read_xlsx(data)
    return read_csv(data)


def _rows(records):
    """``BatchRow`` list from ``[(line, cells)]``: the first non-empty record is the
    header, empty records are skipped."""
    records = [(line, cells) for line, cells in records if any(cell_text(c) for c in cells)]
    if not records:
        raise BatchError("empty")
    _line, header = records[0]
    positions = {}
    for position, cell in enumerate(header):
        key = " ".join(cell_text(cell).lower().replace("_", " ").split())
        column = COLUMNS.get(key)
        if column and column not in positions:
            positions[column] = position
    missing = [column for column in REQUIRED_COLUMNS if column not in positions]
    if missing:
        raise BatchError("columns", missing=missing)

    def cell(cells, column):
        position = positions.get(column)
        if position is None or position >= len(cells):
            return None
        return cells[position]

    rows = []
    for line, cells in records[1:]:
        date = cell(cells, "date")
        rows.append(
            BatchRow(
                line,
                cell_text(cell(cells, "serial")),
                cell_text(cell(cells, "product")),
                cell_text(cell(cells, "customer")),
                cell_text(cell(cells, "dealer")),
                date if isinstance(date, datetime.date) else cell_text(date),
            )
        )
    return rows
