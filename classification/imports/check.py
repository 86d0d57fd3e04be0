"""Checking a CSV or XLSX file of official levels or monthly figures: ``import_parse``.

The import as a whole: read (``imports.read``, ``imports.cells``), check (here), apply
(``imports.apply``).

``import_parse`` reads the file and checks every row against the database without writing
anything; it returns an ``ImportPlan`` that says, row by row, what would change, what is already
so, and what is wrong (with the row number a spreadsheet shows: the header is row 1).
``import_apply`` writes a plan without errors, all or nothing, through the same services the pages
use. The page ``/impor/`` and the command ``import_kampung`` both work this way.

Decisions:

* Files are joined on the desa/kelurahan code, dotted (``63.01.03.2029``) or not
  (``6301032029``), never on a name (domain.md §5): name columns are ignored.
* CSV: UTF-8 with or without BOM (or UTF-16 with a BOM, Excel's "Unicode text"); only a file that
  is not valid UTF-8 is read as Windows-1252, else Latin-1, and the plan says so. The separator
  (comma, semicolon or tab) is sniffed from the header line.
* XLSX: the active sheet, read streaming (``read_only``) with the values the spreadsheet cached for
  its formulas (``data_only``). A formula without a cached value is an error for its row: formulas
  are never evaluated here.
* The file is read once, in chunks of rows, with one or two queries per chunk, so memory follows
  the number of distinct kampung in the file, not its size. At most ``MAX_ERRORS`` errors are kept
  (the rest are counted), so a 10 MB file of bad rows cannot fill memory or the preview page.
* Re-importing a file changes nothing: a kampung already at the level, or a month whose figures
  are identical, is "unchanged"; a month already stored with other numbers is an error.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import ClassificationLevel, Kampung, KampungFigures, LevelChange
from ..permissions import can_manage_kabupaten
from ..rules.figures import FIGURE_COUNT_FIELDS, figures_rule_errors
from ..rules.levels import parse_level
from .cells import (
    CellProblem,
    cell_text,
    is_blank,
    parse_code,
    parse_count,
    parse_date,
    parse_period,
)
from .plan import FiguresRow, ImportKind, ImportPlan, LevelRow
from .read import FileProblem, Formula, check_name_and_size, file_size, open_table

# Rows a page request reads (a file beyond it is refused, to stay well inside the worker's
# timeout); the command reads any number.
DEFAULT_MAX_ROWS = 20_000


CHUNK_ROWS = 2000


LEVEL_CHOICES_TEXT = "dasar, berkembang, mandiri, paripurna/berkelanjutan"


# Header names, compared after ``header_key`` (case, spaces, "_", "-" and "/" ignored).
CODE_ALIASES = ("kode", "kode_desa", "kode_kelurahan", "kode_desa_kelurahan", "kode_wilayah")


LEVEL_COLUMNS: dict[str, tuple[str, ...]] = {
    "kode": CODE_ALIASES,
    "level": ("level", "tingkat", "klasifikasi", "level_resmi"),
    "tanggal": ("tanggal", "tanggal_berlaku"),
    "catatan": ("catatan", "keterangan"),
}


LEVEL_REQUIRED = ("kode", "level")


FIGURES_COLUMNS: dict[str, tuple[str, ...]] = {
    "kode": CODE_ALIASES,
    "periode": ("periode", "bulan", "period"),
    **{name: (name,) for name in FIGURE_COUNT_FIELDS},
}


FIGURES_REQUIRED = ("kode", "periode", *FIGURE_COUNT_FIELDS)


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def header_key(text: Any) -> str:
    return re.sub(r"[\s_\-/]+", "_", str(text or "").strip().casefold()).strip("_")


class TooManyRows(FileProblem):
    """More data rows than a page request reads: the rows checked so far are not shown."""


# --------------------------------------------------------------------------------------------
# Checking
# --------------------------------------------------------------------------------------------


@dataclass
class _Parsed:
    """One data row after the checks that need no database."""

    row: int
    code: str | None
    values: dict[str, Any]
    errors: list[tuple[str, str]]  # (column key, message)


class _Checker:
    """Row-by-row checks of one kind; the database is read once per chunk of rows."""

    columns: dict[str, tuple[str, ...]]
    required: tuple[str, ...]

    def __init__(self, *, plan: ImportPlan, user, today: datetime.date):
        self.plan = plan
        self.user = user
        self.today = today
        self.kampung: dict[str, Kampung | None] = {}
        self.first_row: dict[Any, int] = {}
        self.header_text: dict[str, str] = {}
        self.positions: dict[str, int] = {}

    # The header -------------------------------------------------------------------------------

    def read_header(self, header: list[Any]) -> bool:
        """Map the header's cells to column keys; False (with errors) when it cannot be used."""
        by_alias = {alias: key for key, aliases in self.columns.items() for alias in aliases}
        if all(is_blank(cell) for cell in header):
            self.plan.add_error(
                1,
                "",
                _("Baris 1 harus berisi judul kolom, mis. %(names)s.")
                % {"names": ", ".join(self.required[:3])},
            )
            return False
        ok = True
        for index, cell in enumerate(header):
            if is_blank(cell):
                continue
            text = cell_text(cell)
            key = by_alias.get(header_key(text))
            if key is None:
                self.plan.ignored_columns.append(text)
            elif key in self.positions:
                self.plan.add_error(
                    1, text, _("Kolom “%(column)s” muncul lebih dari sekali.") % {"column": text}
                )
                ok = False
            else:
                self.positions[key] = index
                self.header_text[key] = text
        missing = [key for key in self.required if key not in self.positions]
        for key in missing[:3]:
            self.plan.add_error(
                1,
                "",
                _("Kolom “%(column)s” tidak ada di baris judul (nama yang diterima: %(names)s).")
                % {"column": key, "names": ", ".join(self.columns[key])},
            )
        if len(missing) > 3:
            self.plan.add_error(
                1,
                "",
                _("Kolom lain yang juga tidak ada: %(columns)s.")
                % {"columns": ", ".join(missing[3:])},
            )
        return ok and not missing

    # Rows ----------------------------------------------------------------------------------

    def cell(self, cells: list[Any], key: str) -> Any:
        index = self.positions.get(key)
        if index is None or index >= len(cells):
            return None
        value = cells[index]
        return value.strip() if isinstance(value, str) else value

    def parse_row(self, number: int, cells: list[Any]) -> _Parsed | None:
        """None for a row without any value (spreadsheets keep empty rows)."""
        if all(is_blank(value) for value in cells):
            return None
        parsed = _Parsed(row=number, code=None, values={}, errors=[])
        for key in self.columns:
            value = self.cell(cells, key)
            if isinstance(value, Formula):
                parsed.errors.append(
                    (
                        key,
                        _(
                            "Sel berisi rumus %(formula)s tanpa nilai tersimpan; rumus tidak "
                            "dihitung. Buka dan simpan ulang di Excel/LibreOffice, atau tulis "
                            "nilainya."
                        )
                        % {"formula": value.text},
                    )
                )
                continue
            try:
                parsed.values[key] = self.parse_value(key, value)
            except CellProblem as problem:
                parsed.errors.append((key, str(problem)))
        parsed.code = parsed.values.get("kode")
        return parsed

    def parse_value(self, key: str, value: Any) -> Any:
        raise NotImplementedError

    def required_value(self, value: Any) -> None:
        if is_blank(value):
            raise CellProblem(_("Wajib diisi."))

    def check_chunk(self, chunk: list[_Parsed]) -> None:
        self.load_kampung({row.code for row in chunk if row.code} - self.kampung.keys())
        self.load_existing(chunk)
        for parsed in chunk:
            self.check_row(parsed)
            order = list(self.columns)
            for key, message in sorted(
                parsed.errors, key=lambda item: order.index(item[0]) if item[0] in order else -1
            ):
                self.plan.add_error(parsed.row, self.header_text.get(key, ""), message)

    def load_kampung(self, codes: set[str]) -> None:
        if not codes:
            return
        latest = LevelChange.objects.filter(kampung=OuterRef("pk")).order_by(
            "-effective_date", "-created_at", "-id"
        )
        found = (
            Kampung.objects.filter(desa_kode__in=codes)
            .select_related("kecamatan")
            .defer("boundary")
            .annotate(
                latest_level_id=Subquery(latest.values("level_to_id")[:1]),
                latest_date=Subquery(latest.values("effective_date")[:1]),
            )
        )
        for kampung in found:
            self.kampung[kampung.desa_kode] = kampung
        for code in codes:
            self.kampung.setdefault(code, None)

    def load_existing(self, chunk: list[_Parsed]) -> None:
        pass

    def check_kampung(self, parsed: _Parsed, key: Any) -> Kampung | None:
        """The row's kampung if it exists, is the user's, and ``key`` was not seen before.

        ``key`` is what may appear once in a file (the code; the code and month for figures);
        None skips that check (its cell is wrong already).
        """
        code = parsed.code
        if code is None:
            return None
        kampung = self.kampung.get(code)
        if kampung is None:
            parsed.errors.append(("kode", _("Kode %(code)s tidak dikenal") % {"code": code}))
            return None
        if not can_manage_kabupaten(self.user, kampung.kecamatan.kabupaten_id):
            parsed.errors.append(("kode", _("Kode %(code)s bukan wilayah Anda") % {"code": code}))
            return None
        if key is None:
            return None
        first = self.first_row.setdefault(key, parsed.row)
        if first != parsed.row:
            parsed.errors.append(("kode", self.duplicate_message(parsed, first)))
            return None
        return kampung

    def duplicate_message(self, parsed: _Parsed, first: int) -> str:
        return _("Kode %(code)s sudah muncul di baris %(row)s") % {
            "code": parsed.code,
            "row": first,
        }

    def check_row(self, parsed: _Parsed) -> None:
        raise NotImplementedError


class LevelChecker(_Checker):
    columns = LEVEL_COLUMNS
    required = LEVEL_REQUIRED

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.levels = {level.code: level for level in ClassificationLevel.objects.order_by("rank")}
        # A district's own labels ("Berkelanjutan") are accepted beside the codes.
        self.labels = {code: level.label for code, level in self.levels.items()}
        # Files repeat the same few spellings: each is read by rules.levels.parse_level once.
        self.level_spellings: dict[str, str | None] = {}

    def parse_value(self, key: str, value: Any) -> Any:
        if key == "kode":
            self.required_value(value)
            return parse_code(value)
        if key == "level":
            self.required_value(value)
            text = cell_text(value)
            code = self.level_spellings.get(text, "")
            if code == "":
                try:
                    code = parse_level(text, self.labels).value
                except ValueError:
                    code = None
                if len(self.level_spellings) >= 1000:  # a file of nonsense: keep memory flat
                    self.level_spellings.clear()
                self.level_spellings[text] = code
            if code is None:
                raise CellProblem(
                    _("Level “%(value)s” tidak dikenal; gunakan %(choices)s")
                    % {"value": text, "choices": LEVEL_CHOICES_TEXT}
                )
            return code
        if key == "tanggal":
            if is_blank(value):
                return self.today
            date = parse_date(value)
            if date > self.today:
                raise CellProblem(_("Tanggal berlaku tidak boleh di masa depan."))
            return date
        return "" if is_blank(value) else cell_text(value)

    def check_row(self, parsed: _Parsed) -> None:
        kampung = self.check_kampung(parsed, parsed.code)
        if kampung is None or parsed.errors:
            return
        level = self.levels[parsed.values["level"]]
        date = parsed.values["tanggal"]
        current = self.levels.get(kampung.latest_level_id)
        row = LevelRow(
            row=parsed.row,
            kampung=kampung,
            level_from=current,
            level_to=level,
            effective_date=date,
            note=parsed.values.get("catatan")
            or _("Diimpor dari berkas %(name)s") % {"name": self.plan.file_name},
            since=kampung.latest_date,
        )
        if current is not None and current.code == level.code:
            self.plan.unchanged.append(row)
        elif kampung.latest_date and date < kampung.latest_date:
            # The same refusal as services.levels.kampung_set_level, before anything is written.
            parsed.errors.append(
                (
                    "tanggal",
                    _("Tanggal berlaku tidak boleh sebelum perubahan level terakhir (%(date)s).")
                    % {"date": date_format(kampung.latest_date, "SHORT_DATE_FORMAT")},
                )
            )
        else:
            self.plan.changes.append(row)


class FiguresChecker(_Checker):
    columns = FIGURES_COLUMNS
    required = FIGURES_REQUIRED

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.existing: dict[tuple[int, datetime.date], dict[str, int]] = {}

    def parse_value(self, key: str, value: Any) -> Any:
        self.required_value(value)
        if key == "kode":
            return parse_code(value)
        if key == "periode":
            period = parse_period(value)
            if period > self.today.replace(day=1):
                raise CellProblem(_("Periode tidak boleh di masa depan."))
            return period
        return parse_count(value)

    def load_existing(self, chunk: list[_Parsed]) -> None:
        ids = {
            kampung.pk
            for row in chunk
            if row.code and (kampung := self.kampung.get(row.code)) is not None
        }
        periods = {row.values["periode"] for row in chunk if "periode" in row.values}
        if not ids or not periods:
            return
        for figures in KampungFigures.objects.filter(kampung_id__in=ids, period__in=periods).values(
            "kampung_id", "period", *FIGURE_COUNT_FIELDS
        ):
            key = (figures.pop("kampung_id"), figures.pop("period"))
            self.existing[key] = figures

    def duplicate_message(self, parsed: _Parsed, first: int) -> str:
        return _("Kode %(code)s periode %(period)s sudah muncul di baris %(row)s") % {
            "code": parsed.code,
            "period": f"{parsed.values['periode']:%Y-%m}",
            "row": first,
        }

    def check_row(self, parsed: _Parsed) -> None:
        counts = {name: parsed.values.get(name) for name in FIGURE_COUNT_FIELDS}
        for name, error in figures_rule_errors(counts, KampungFigures.field_label):
            parsed.errors.append((name, " ".join(error.messages)))
        period = parsed.values.get("periode")
        kampung = self.check_kampung(parsed, (parsed.code, period) if period else None)
        if kampung is None or parsed.errors:
            return
        row = FiguresRow(row=parsed.row, kampung=kampung, period=period, values=counts)
        stored = self.existing.get((kampung.pk, period))
        if stored is None:
            self.plan.changes.append(row)
        elif stored == counts:
            self.plan.unchanged.append(row)
        else:
            parsed.errors.append(
                (
                    "periode",
                    _("Angka periode %(period)s sudah ada dan berbeda")
                    % {"period": f"{period:%Y-%m}"},
                )
            )


CHECKERS = {ImportKind.LEVELS: LevelChecker, ImportKind.FIGURES: FiguresChecker}


def import_parse(
    file,
    *,
    name: str,
    kind: str,
    user,
    today: datetime.date | None = None,
    limit_rows: bool = True,
    progress=None,
) -> ImportPlan:
    """Read ``file`` (binary) and check every row for ``user``; nothing is written.

    ``name`` is the file's name as the user knows it (its extension picks the format when the
    content does not). Beyond ``IMPORT_MAX_ROWS`` data rows the file is refused, unless
    ``limit_rows`` is off (the command). ``progress`` (a tqdm bar) is advanced by the rows read.
    """
    plan = ImportPlan(kind=str(kind), file_name=PurePath(name).name, user_id=user.pk)
    checker = CHECKERS[ImportKind(kind)](plan=plan, user=user, today=today or timezone.localdate())
    table = None
    try:
        check_name_and_size(name, file_size(file))
        table = open_table(file, name=name)
        plan.file_format = table.file_format
        plan.encoding, plan.encoding_note = table.encoding, table.encoding_note
        plan.delimiter = table.delimiter
        if all(is_blank(cell) for cell in table.header) and not any(
            any(not is_blank(cell) for cell in cells) for _number, cells in table.rows
        ):
            raise FileProblem(_("Berkas kosong: tidak ada judul kolom maupun data."))
        if not checker.read_header(table.header):
            return plan
        limit = max_rows() if limit_rows else None
        for chunk in _chunks(_data_rows(table.rows, checker, plan, limit), CHUNK_ROWS):
            checker.check_chunk(chunk)
            if progress is not None:
                progress.update(len(chunk))
        if plan.row_count == 0:
            plan.add_error(None, "", _("Berkas hanya berisi judul kolom, tanpa baris data."))
    except FileProblem as problem:
        if isinstance(problem, TooManyRows):
            plan.changes, plan.unchanged, plan.errors, plan.error_count = [], [], [], 0
        plan.add_error(None, "", str(problem))
    finally:
        if table is not None and table.close is not None:
            table.close()
    return plan


def _data_rows(
    rows: Iterable[tuple[int, list[Any]]], checker: _Checker, plan: ImportPlan, limit: int | None
):
    for number, cells in rows:
        parsed = checker.parse_row(number, cells)
        if parsed is not None:
            plan.row_count += 1
            if limit is not None and plan.row_count > limit:
                raise TooManyRows(
                    ngettext(
                        "Berkas memuat lebih dari %(limit)s baris data; pecah menjadi beberapa "
                        "berkas (atau minta admin memakai perintah import_kampung).",
                        "Berkas memuat lebih dari %(limit)s baris data; pecah menjadi beberapa "
                        "berkas (atau minta admin memakai perintah import_kampung).",
                        limit,
                    )
                    % {"limit": number_format(limit, force_grouping=True)}
                )
            yield parsed


def _chunks(items: Iterable[_Parsed], size: int) -> Iterator[list[_Parsed]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
