"""Reading one cell: blanks, text, dates, periods, counts and region codes."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.utils.translation import gettext as _

from ..rules.codes import normalise_region_code
from ..rules.figures import NEGATIVE

# PositiveIntegerField's ceiling on every database Django supports.
MAX_COUNT = 2147483647


# --------------------------------------------------------------------------------------------
# Cell values
# --------------------------------------------------------------------------------------------


class CellProblem(ValueError):
    pass


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    return str(value).strip()


DATE_PATTERN = re.compile(
    # 2026-03-31, 2026/03/31; 31-03-2026, 31/03/2026, 31.03.2026 (day first, as in Indonesia);
    # a time of midnight after it is what some spreadsheets write for a date cell.
    r"(?:(?P<y1>\d{4})[-/](?P<m1>\d{1,2})[-/](?P<d1>\d{1,2})"
    r"|(?P<d2>\d{1,2})[-/.](?P<m2>\d{1,2})[-/.](?P<y2>\d{4}))"
    r"(?:[ T]00:00(?::00)?)?"
)


def parse_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    match = DATE_PATTERN.fullmatch(text)
    if match:
        year, month, day = (
            match["y1"] or match["y2"],
            match["m1"] or match["m2"],
            match["d1"] or match["d2"],
        )
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            pass
    raise CellProblem(
        _("Tanggal “%(value)s” tidak sah; gunakan TTTT-BB-HH (mis. 2026-03-31) atau HH/BB/TTTT.")
        % {"value": text}
    )


def parse_period(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date().replace(day=1)
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    text = cell_text(value)
    match = re.fullmatch(r"(\d{4})[-/](\d{1,2})", text)
    try:
        if match:
            return datetime.date(int(match[1]), int(match[2]), 1)
        return parse_date(text).replace(day=1)
    except (ValueError, CellProblem):
        raise CellProblem(
            _("Periode “%(value)s” tidak sah; gunakan TTTT-BB, mis. 2026-03.") % {"value": text}
        ) from None


def parse_count(value: Any) -> int:
    if isinstance(value, bool):
        raise CellProblem(_("“%(value)s” bukan bilangan bulat.") % {"value": value})
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = cell_text(value)
        if not re.fullmatch(r"[+-]?\d+", text):
            raise CellProblem(_("“%(value)s” bukan bilangan bulat.") % {"value": text})
        number = int(text)
    if number < 0:
        raise CellProblem(str(NEGATIVE))
    if number > MAX_COUNT:
        raise CellProblem(_("Angka %(value)s terlalu besar.") % {"value": number})
    return number


def parse_code(value: Any) -> str:
    text = cell_text(value)
    code = normalise_region_code(text)
    if code is None or code.count(".") != 3 or len(code) != 13:
        raise CellProblem(
            _(
                "Kode “%(value)s” bukan kode desa/kelurahan; gunakan mis. 63.01.03.2029 "
                "atau 6301032029."
            )
            % {"value": text}
        )
    return code
