"""Opening an uploaded CSV or XLSX safely: name, size, encoding, delimiter, no formulas."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


# An XLSX is a zip: its sheets may unpack to many times the upload (they are read streaming), and
# openpyxl keeps the shared strings in memory: both unpacked sizes are capped, against zip bombs.
UNZIPPED_FACTOR = 12


SHARED_STRINGS_FACTOR = 3


CSV_EXTENSIONS = {".csv", ".txt", ".tsv"}


XLSX_EXTENSIONS = {".xlsx", ".xlsm"}


EXTENSIONS = CSV_EXTENSIONS | XLSX_EXTENSIONS


ZIP_MAGIC = b"PK\x03\x04"


DELIMITERS = ",;\t"


def max_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


class FileProblem(Exception):
    """The file as a whole cannot be read; the message is for the person who uploaded it."""


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
                limit = csv.field_size_limit()
                detail = ngettext(
                    "ada sel yang lebih panjang dari %(limit)s karakter",
                    "ada sel yang lebih panjang dari %(limit)s karakter",
                    limit,
                ) % {"limit": number_format(limit, force_grouping=True)}
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
