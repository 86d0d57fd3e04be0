"""Reading the Kemendagri region file (fixtures/indonesia_wilayah.csv.gz): parse, check, no writes.

The whole selection is validated before anything is written, so a bad file never half-loads.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

REGION_FILE = Path(settings.BASE_DIR) / "fixtures" / "indonesia_wilayah.csv.gz"


COLUMNS = (
    "provinsi_kode",
    "provinsi",
    "kabupaten_kode",
    "kabupaten",
    "kecamatan_kode",
    "kecamatan",
    "kode",
    "nama",
    "jenis",
)


PROVINSI_CODE = re.compile(r"^\d{2}$")


KABUPATEN_CODE = re.compile(r"^\d{2}\.\d{2}$")


KECAMATAN_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")


DESA_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")


# Desa adat are desa for this programme (domain.md §5; 14 in Papua).
JENIS = {"desa": "desa", "kelurahan": "kelurahan", "desa_adat": "desa"}


class RegionFileError(Exception):
    """The file or the selection cannot be loaded; the message is shown to the operator."""


@dataclass(frozen=True)
class VillageRow:
    provinsi_kode: str
    provinsi: str
    kabupaten_kode: str
    kabupaten: str
    kecamatan_kode: str
    kecamatan: str
    kode: str
    nama: str
    jenis: str


def check_selection_code(code: str) -> str:
    """A provinsi or kabupaten code in dotted form; BKKBN's undotted ``6301`` is accepted too."""
    code = code.strip()
    if code.isdigit() and len(code) == 4:
        code = f"{code[:2]}.{code[2:]}"
    if not (PROVINSI_CODE.match(code) or KABUPATEN_CODE.match(code)):
        raise RegionFileError(
            _("Kode wilayah %(code)s tidak sah: gunakan kode provinsi (63) atau kabupaten (63.01).")
            % {"code": repr(code)}
        )
    return code


def _open_text(path: Path) -> io.TextIOBase:
    with path.open("rb") as probe:
        is_gzip = probe.read(2) == b"\x1f\x8b"
    if is_gzip:
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    # utf-8-sig: a CSV saved by Excel starts with a byte-order mark.
    return path.open(encoding="utf-8-sig", newline="")


def _check_row(line: int, row: dict[str, str]) -> VillageRow:
    values = {column: (row.get(column) or "").strip() for column in COLUMNS}
    problems = []
    if not PROVINSI_CODE.match(values["provinsi_kode"]):
        problems.append("provinsi_kode")
    if not KABUPATEN_CODE.match(values["kabupaten_kode"]) or not values[
        "kabupaten_kode"
    ].startswith(values["provinsi_kode"] + "."):
        problems.append("kabupaten_kode")
    if not KECAMATAN_CODE.match(values["kecamatan_kode"]) or not values[
        "kecamatan_kode"
    ].startswith(values["kabupaten_kode"] + "."):
        problems.append("kecamatan_kode")
    if not DESA_CODE.match(values["kode"]) or not values["kode"].startswith(
        values["kecamatan_kode"] + "."
    ):
        problems.append("kode")
    if values["jenis"] not in JENIS:
        problems.append("jenis")
    problems += [
        name for name in ("provinsi", "kabupaten", "kecamatan", "nama") if not values[name]
    ]
    if problems:
        raise RegionFileError(
            ngettext(
                "Baris %(line)s: nilai tidak sah pada kolom %(columns)s.",
                "Baris %(line)s: nilai tidak sah pada kolom %(columns)s.",
                len(problems),
            )
            % {"line": line, "columns": ", ".join(problems)}
        )
    values["jenis"] = JENIS[values["jenis"]]
    return VillageRow(**values)


def read_villages(path: Path, codes: Iterable[str] | None) -> list[VillageRow]:
    """All village rows of the selected provinsi/kabupaten codes (every row when ``codes`` is None).

    Raises RegionFileError for an unreadable or malformed file, or a code with no villages.
    """
    wanted = None if codes is None else {check_selection_code(code) for code in codes}
    found: set[str] = set()
    rows: list[VillageRow] = []
    seen_codes: set[str] = set()
    try:
        with _open_text(path) as handle:
            reader = csv.DictReader(handle)
            missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
            if missing:
                raise RegionFileError(
                    ngettext(
                        "Berkas wilayah tidak memiliki kolom: %(columns)s.",
                        "Berkas wilayah tidak memiliki kolom: %(columns)s.",
                        len(missing),
                    )
                    % {"columns": ", ".join(missing)}
                )
            for raw in reader:
                # The physical line, so blank lines and quoted line breaks don't shift it.
                line = reader.line_num
                selection = _selection_of(raw, wanted)
                if selection is None:
                    continue
                row = _check_row(line, raw)
                if row.kode in seen_codes:
                    raise RegionFileError(
                        _("Baris %(line)s: kode desa %(code)s muncul dua kali.")
                        % {"line": line, "code": row.kode}
                    )
                seen_codes.add(row.kode)
                found.add(selection)
                rows.append(row)
    except FileNotFoundError as exc:
        raise RegionFileError(
            _("Berkas wilayah tidak ditemukan: %(path)s") % {"path": path}
        ) from exc
    # zlib.error (a damaged deflate block) is not an OSError, unlike a bad CRC or header.
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, csv.Error) as exc:
        raise RegionFileError(
            _("Berkas wilayah rusak atau bukan CSV UTF-8: %(error)s") % {"error": exc}
        ) from exc
    if wanted is not None and (unknown := sorted(wanted - found)):
        raise RegionFileError(
            ngettext(
                "Kode wilayah tidak dikenal: %(codes)s.",
                "Kode wilayah tidak dikenal: %(codes)s.",
                len(unknown),
            )
            % {"codes": ", ".join(unknown)}
        )
    if not rows:
        raise RegionFileError(_("Berkas wilayah tidak berisi satu desa pun."))
    return rows


def _selection_of(raw: dict[str, str], wanted: set[str] | None) -> str | None:
    """Which requested code a raw row belongs to (``"*"`` when everything is wanted)."""
    if wanted is None:
        return "*"
    provinsi = (raw.get("provinsi_kode") or "").strip()
    kabupaten = (raw.get("kabupaten_kode") or "").strip()
    if kabupaten in wanted:
        return kabupaten
    if provinsi in wanted:
        return provinsi
    return None
