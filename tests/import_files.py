"""Real import files for the import tests, written with ``csv`` and openpyxl into a temp dir."""

import csv
import datetime
import shutil
import tempfile
from pathlib import Path

import openpyxl

from classification.models import KampungFigures, LevelChange
from classification.rules.figures import FIGURE_COUNT_FIELDS

# Tanah Laut kampung and their demo baseline levels (fixtures/demo_levels.csv, 31 July 2025).
DASAR_1 = "63.01.01.2001"  # Benua Lawas (pokja_b)
BERKEMBANG = "63.01.01.2002"  # Tabanio (pokja_a)
DASAR_2 = "63.01.01.2003"
PARIPURNA = "63.01.01.2004"
KOTABARU_KAMPUNG = "63.02.01.2001"
UNKNOWN = "63.01.99.9999"
BASELINE_DATE = datetime.date(2025, 7, 31)
TODAY = datetime.date(2026, 3, 15)
LEVEL_HEADER = ["kode", "level", "tanggal_berlaku", "catatan"]
# A file that raises three kampung, one of them from dasar straight to mandiri.
GOOD_LEVEL_ROWS = [
    LEVEL_HEADER,
    [DASAR_1, "berkembang", "2026-01-10", "Hasil verifikasi lapangan"],
    [BERKEMBANG, "mandiri", "2026-02-01", ""],
    [DASAR_2, "mandiri", "2026-02-01", "Loncat satu level"],
]
LEVEL_MESSAGE = (
    "Level “sedang” tidak dikenal; gunakan dasar, berkembang, mandiri, paripurna/berkelanjutan"
)


def figures_values(**changes) -> dict[str, int]:
    """A consistent month: PUS = users + non-users, participants within their targets."""
    values = {name: 0 for name in FIGURE_COUNT_FIELDS}
    values.update(
        families=200,
        pus=120,
        remaja=60,
        families_with_balita=50,
        families_with_remaja=40,
        families_with_lansia=30,
        participants_bkb=20,
        participants_bkr=10,
        participants_bkl=10,
        participants_uppka=15,
        participants_pikr=12,
        users_iud=10,
        users_implan=20,
        users_suntik=40,
        users_pil=10,
        not_using_hamil=10,
        not_using_ingin_anak_segera=10,
        not_using_ingin_anak_tunda=10,
        not_using_tidak_ingin_anak_lagi=10,
    )
    values.update(changes)
    return values


FIGURES_HEADER = ["kode", "periode", *FIGURE_COUNT_FIELDS]


def figures_row(code: str, period: str, **changes) -> list:
    values = figures_values(**changes)
    return [code, period, *(values[name] for name in FIGURE_COUNT_FIELDS)]


class TempFiles:
    """A fresh directory per test (``self.tmp``) and writers into it."""

    def make_tmp(self) -> Path:
        path = Path(tempfile.mkdtemp(prefix="kampungkb-import-"))
        self.addCleanup(shutil.rmtree, path, ignore_errors=True)
        return path

    @property
    def tmp(self) -> Path:
        if not hasattr(self, "_tmp"):
            self._tmp = self.make_tmp()
        return self._tmp

    def write_csv(
        self,
        rows: list[list],
        name: str = "levels.csv",
        *,
        encoding: str = "utf-8",
        delimiter: str = ",",
    ) -> Path:
        path = self.tmp / name
        with path.open("w", encoding=encoding, newline="") as handle:
            csv.writer(handle, delimiter=delimiter).writerows(rows)
        return path

    def write_xlsx(self, rows: list[list], name: str = "levels.xlsx") -> Path:
        path = self.tmp / name
        book = openpyxl.Workbook()
        sheet = book.active
        for row in rows:
            sheet.append(row)
        book.save(path)
        return path

    def write_bytes(self, content: bytes, name: str) -> Path:
        path = self.tmp / name
        path.write_bytes(content)
        return path


def write_big_csv(path: Path, *, size: int, codes: list[str]) -> Path:
    """A levels CSV of about ``size`` bytes (never more): ``codes`` cycled with padded notes.

    Every code after the first round repeats, so the file is full of "duplicate" errors.
    """
    padding = "x" * 200
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(LEVEL_HEADER)
        line = 0
        while True:
            code = codes[line % len(codes)]
            row = [code, "mandiri", "2026-02-01", f"Catatan {line} {padding}"]
            if handle.tell() + len(",".join(row)) + 2 > size:
                break
            writer.writerow(row)
            line += 1
    return path


def counts() -> tuple[int, int]:
    """(LevelChange rows, KampungFigures rows): compared before and after a refused import."""
    return LevelChange.objects.count(), KampungFigures.objects.count()
