"""Importing official levels or monthly figures from a CSV or XLSX file: read, check, apply.

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

import codecs
import csv
import datetime
import io
import itertools
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import OuterRef, Subquery
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .models import ClassificationLevel, Kampung, KampungFigures, LevelChange
from .permissions import access_for
from .rules.codes import normalise_region_code
from .rules.figures import FIGURE_COUNT_FIELDS, NEGATIVE, USER_FIELDS, figures_rule_errors
from .rules.levels import parse_level

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# An XLSX is a zip: its sheets may unpack to many times the upload (they are read streaming), and
# openpyxl keeps the shared strings in memory: both unpacked sizes are capped, against zip bombs.
UNZIPPED_FACTOR = 12
SHARED_STRINGS_FACTOR = 3
# Rows a page request reads (a file beyond it is refused, to stay well inside the worker's
# timeout); the command reads any number.
DEFAULT_MAX_ROWS = 20_000
# Errors kept for display; beyond this they are only counted.
MAX_ERRORS = 500
CHUNK_ROWS = 2000
CSV_EXTENSIONS = {".csv", ".txt", ".tsv"}
XLSX_EXTENSIONS = {".xlsx", ".xlsm"}
EXTENSIONS = CSV_EXTENSIONS | XLSX_EXTENSIONS
ZIP_MAGIC = b"PK\x03\x04"
DELIMITERS = ",;\t"
# PositiveIntegerField's ceiling on every database Django supports.
MAX_COUNT = 2147483647

LEVEL_CHOICES_TEXT = "dasar, berkembang, mandiri, paripurna/berkelanjutan"


class ImportKind(models.TextChoices):
    LEVELS = "levels", gettext_lazy("Level resmi")
    FIGURES = "figures", gettext_lazy("Angka bulanan")


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


def max_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def header_key(text: Any) -> str:
    return re.sub(r"[\s_\-/]+", "_", str(text or "").strip().casefold()).strip("_")


# --------------------------------------------------------------------------------------------
# The plan
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem: ``row`` as a spreadsheet numbers it (None: the whole file), the column's
    header as written in the file ("" for the whole row or file), the message."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = _("Berkas") if self.row is None else _("Baris %(row)s") % {"row": self.row}
        if self.column:
            where = _("%(where)s, kolom %(column)s") % {"where": where, "column": self.column}
        return f"{where}: {self.message}"


@dataclass
class LevelRow:
    row: int
    kampung: Kampung
    level_from: ClassificationLevel | None
    level_to: ClassificationLevel
    effective_date: datetime.date
    note: str
    since: datetime.date | None = None  # the current level's date (for "unchanged")


@dataclass
class FiguresRow:
    row: int
    kampung: Kampung
    period: datetime.date
    values: dict[str, int]

    @property
    def total_users(self) -> int:
        return sum(self.values[name] for name in USER_FIELDS)


@dataclass
class ImportPlan:
    """What a file would do. ``ok`` when it holds no error; only then may it be applied."""

    kind: str
    file_name: str
    user_id: int | None
    file_format: str = ""
    encoding: str = ""
    encoding_note: str = ""
    delimiter: str = ""
    row_count: int = 0
    changes: list[LevelRow | FiguresRow] = field(default_factory=list)
    unchanged: list[LevelRow | FiguresRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def hidden_error_count(self) -> int:
        return self.error_count - len(self.errors)

    @property
    def error_rows(self) -> int:
        return len({error.row for error in self.errors})

    @property
    def delimiter_label(self) -> str:
        return {",": _("koma"), ";": _("titik koma"), "\t": _("tab")}.get(self.delimiter, "")

    def add_error(self, row: int | None, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, column, str(message)))


class FileProblem(Exception):
    """The file as a whole cannot be read; the message is for the person who uploaded it."""


class TooManyRows(FileProblem):
    """More data rows than a page request reads: the rows checked so far are not shown."""


# --------------------------------------------------------------------------------------------
# Reading: rows of raw cell values, whatever the format
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Formula:
    """An XLSX cell holding a formula whose value the file did not store."""

    text: str


@dataclass
class Table:
    """An opened file: its header cells and an iterator of (spreadsheet row, cells)."""

    file_format: str
    header: list[Any]
    rows: Iterator[tuple[int, list[Any]]]
    encoding: str = ""
    encoding_note: str = ""
    delimiter: str = ""
    close: Any = None


def file_size(file) -> int:
    size = getattr(file, "size", None)
    if size is not None:
        return size
    position = file.tell()
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(position)
    return size


def check_name_and_size(name: str, size: int) -> None:
    """Refuse what no parsing is attempted for: an unknown extension, an oversized file."""
    suffix = PurePath(name).suffix.lower()
    if suffix == ".xls":
        raise FileProblem(
            _("Format .xls (Excel 97–2003) tidak didukung: simpan ulang sebagai .xlsx atau CSV.")
        )
    if suffix not in EXTENSIONS:
        raise FileProblem(_("Format berkas tidak didukung: unggah berkas .csv atau .xlsx."))
    limit = max_bytes()
    if size > limit:
        raise FileProblem(
            _("Berkas terlalu besar (%(size)s); paling besar %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )


def _binary(file):
    """The underlying binary stream of a Django ``File`` (upload, storage), or ``file`` itself."""
    return getattr(file, "file", file)


def open_table(file, *, name: str) -> Table:
    """Open ``file`` (binary, seekable) as a table; ``FileProblem`` if it cannot be read."""
    stream = _binary(file)
    stream.seek(0)
    magic = stream.read(4)
    stream.seek(0)
    suffix = PurePath(name).suffix.lower()
    if magic == ZIP_MAGIC:
        return _open_xlsx(stream)
    if suffix in XLSX_EXTENSIONS:
        raise FileProblem(
            _("Berkas ini bukan berkas Excel .xlsx yang utuh; periksa atau simpan ulang.")
        )
    if magic.startswith(b"\xd0\xcf\x11\xe0"):  # the OLE2 container of .xls
        raise FileProblem(
            _("Format .xls (Excel 97–2003) tidak didukung: simpan ulang sebagai .xlsx atau CSV.")
        )
    return _open_csv(stream)


def detect_encoding(stream) -> tuple[str, str]:
    """(codec, note): UTF-8 (with or without BOM) when the bytes allow it; else cp1252/latin-1.

    The whole file is decoded once, in chunks, without being kept: a file that is valid UTF-8
    except near its end is still not UTF-8.
    """
    stream.seek(0)
    head = stream.read(4)
    stream.seek(0)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", ""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", ""
    for codec in ("utf-8", "cp1252"):
        decoder = codecs.getincrementaldecoder(codec)()
        try:
            while chunk := stream.read(1 << 16):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            stream.seek(0)
            continue
        stream.seek(0)
        if codec == "utf-8":
            return codec, ""
        return codec, _(
            "Berkas ini bukan UTF-8: dibaca sebagai Windows-1252 (cp1252). Periksa huruf "
            "beraksen di pratinjau; bila salah, simpan ulang sebagai “CSV UTF-8”."
        )
    return "latin-1", _(
        "Berkas ini bukan UTF-8 maupun Windows-1252: dibaca sebagai Latin-1. Periksa huruf "
        "beraksen di pratinjau; bila salah, simpan ulang sebagai “CSV UTF-8”."
    )


def sniff_delimiter(header_line: str) -> str:
    try:
        return csv.Sniffer().sniff(header_line, delimiters=DELIMITERS).delimiter
    except csv.Error:
        # One column only, or a line the sniffer cannot decide on: the most frequent wins.
        counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def _open_csv(stream) -> Table:
    encoding, note = detect_encoding(stream)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    first = text.readline()
    if not first:
        text.detach()
        raise FileProblem(_("Berkas kosong: tidak ada judul kolom maupun data."))
    delimiter = sniff_delimiter(first)
    reader = csv.reader(itertools.chain([first], text), delimiter=delimiter)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        number = 0
        try:
            for cells in reader:
                number += 1
                yield number, cells
        except (csv.Error, UnicodeDecodeError) as exc:
            detail = str(exc)
            if "field limit" in detail:
                detail = _("ada sel yang lebih panjang dari %(limit)s karakter") % {
                    "limit": f"{csv.field_size_limit():,}".replace(",", ".")
                }
            raise FileProblem(
                _("Berkas CSV tidak dapat dibaca sesudah baris %(row)s: %(detail)s.")
                % {"row": number, "detail": detail}
            ) from exc

    iterator = rows()
    try:
        _number, header = next(iterator)
    except StopIteration:  # pragma: no cover - ``first`` is not empty
        header = []
    return Table(
        file_format="CSV",
        header=header,
        rows=iterator,
        encoding=encoding.removesuffix("-sig").upper().replace("CP1252", "Windows-1252"),
        encoding_note=note,
        delimiter=delimiter,
        close=text.detach,
    )


FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _xlsx_has_formulas(archive: zipfile.ZipFile) -> bool:
    """Whether any worksheet holds a formula (streamed through, never kept)."""
    for info in archive.infolist():
        if not re.fullmatch(r"xl/worksheets/[^/]+\.xml", info.filename):
            continue
        with archive.open(info) as member:
            tail = b""
            while chunk := member.read(1 << 16):
                if FORMULA_TAG.search(tail + chunk):
                    return True
                tail = chunk[-16:]
    return False


def _open_xlsx(stream) -> Table:
    import openpyxl  # imported here: only XLSX imports pay for it

    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            unpacked = sum(info.file_size for info in infos)
            strings = sum(
                info.file_size for info in infos if info.filename.endswith("sharedStrings.xml")
            )
            too_big = (
                unpacked > UNZIPPED_FACTOR * max_bytes()
                or strings > SHARED_STRINGS_FACTOR * max_bytes()
            )
            has_formulas = not too_big and _xlsx_has_formulas(archive)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise FileProblem(_("Berkas .xlsx ini rusak; periksa atau simpan ulang.")) from exc
    if too_big:
        raise FileProblem(
            _("Isi berkas .xlsx ini terlalu besar setelah dibuka (%(size)s); pecah berkasnya.")
            % {"size": filesizeformat(unpacked)}
        )
    try:
        stream.seek(0)
        values_book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        # With formulas, a second streaming reader of the same sheet, in step with the first,
        # tells a formula without a cached value from an empty cell (both read as None).
        formula_book = None
        if has_formulas:
            stream.seek(0)
            formula_book = openpyxl.load_workbook(stream, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise FileProblem(
            _("Berkas .xlsx ini tidak dapat dibaca; periksa atau simpan ulang.")
        ) from exc

    def close():
        values_book.close()
        if formula_book is not None:
            formula_book.close()

    sheets = [book.active for book in (values_book, formula_book) if book is not None]
    if any(sheet is None or not hasattr(sheet, "iter_rows") for sheet in sheets):
        close()
        raise FileProblem(_("Berkas .xlsx ini tidak punya lembar kerja yang aktif."))
    for sheet in sheets:
        # A file may declare wrong dimensions (some generators write A1:A1): read every cell.
        sheet.reset_dimensions()

    def rows() -> Iterator[tuple[int, list[Any]]]:
        pairs = zip(
            sheets[0].iter_rows(values_only=True),
            sheets[1].iter_rows(values_only=True) if has_formulas else itertools.repeat(()),
            strict=False,
        )
        try:
            for number, (cached, formulas) in enumerate(pairs, start=1):
                cells = list(cached)
                for index, cell in enumerate(formulas):
                    # Array and data-table formulas come as objects carrying their text.
                    text = getattr(cell, "text", cell)
                    if (
                        isinstance(text, str)
                        and text.startswith("=")
                        and (index >= len(cells) or cells[index] is None)
                    ):
                        cells.extend([None] * (index + 1 - len(cells)))
                        cells[index] = Formula(text)
                yield number, cells
        except Exception as exc:
            raise FileProblem(
                _("Berkas .xlsx ini tidak dapat dibaca sampai selesai; periksa atau simpan ulang.")
            ) from exc

    iterator = rows()
    try:
        _number, header = next(iterator)
    except StopIteration:
        close()
        raise FileProblem(_("Berkas kosong: tidak ada judul kolom maupun data.")) from None
    return Table(file_format="XLSX", header=header, rows=iterator, close=close)


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
        self.access = access_for(user)
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
        if not self.access.manages_kabupaten(kampung.kecamatan.kabupaten_id):
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
        # Files repeat the same few spellings: each is read by levels.parse_level once.
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
            # The same refusal as services.kampung_set_level, before anything is written.
            parsed.errors.append(
                (
                    "tanggal",
                    _("Tanggal berlaku tidak boleh sebelum perubahan level terakhir (%(date)s).")
                    % {"date": kampung.latest_date.strftime("%d-%m-%Y")},
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
                    _(
                        "Berkas memuat lebih dari %(limit)s baris data; pecah menjadi beberapa "
                        "berkas (atau minta admin memakai perintah import_kampung)."
                    )
                    % {"limit": f"{limit:,}".replace(",", ".")}
                )
            yield parsed


def _chunks(items: Iterable[_Parsed], size: int) -> Iterator[list[_Parsed]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


# --------------------------------------------------------------------------------------------
# Applying
# --------------------------------------------------------------------------------------------


@transaction.atomic
def import_apply(*, plan: ImportPlan, by, progress=None) -> int:
    """Write every change of ``plan``, all or nothing; the number of changes written.

    Refused when the plan holds any error, or was checked for someone else. Each level goes
    through ``services.kampung_set_level`` (source "import"), each month through
    ``services.figures_create``, which check their rules again: one refusal undoes everything.
    """
    if plan.user_id != by.pk:
        raise PermissionDenied
    if not plan.ok:
        raise ValidationError(
            _("Berkas masih memuat %(count)s kesalahan: tidak ada yang disimpan.")
            % {"count": plan.error_count},
            code="has_errors",
        )
    for item in plan.changes:
        if isinstance(item, LevelRow):
            services.kampung_set_level(
                kampung=item.kampung,
                level=item.level_to,
                effective_date=item.effective_date,
                source=LevelChange.Source.IMPORT,
                by=by,
                note=item.note,
            )
        else:
            services.figures_create(kampung=item.kampung, by=by, period=item.period, **item.values)
        if progress is not None:
            progress.update(1)
    return len(plan.changes)
