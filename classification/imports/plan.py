"""What a checked file would do (ImportPlan), row by row, and what is wrong with it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import ClassificationLevel, Kampung
from ..rules.figures import USER_FIELDS

# Errors kept for display; beyond this they are only counted.
MAX_ERRORS = 500


class ImportKind(models.TextChoices):
    LEVELS = "levels", gettext_lazy("Level resmi")
    FIGURES = "figures", gettext_lazy("Angka bulanan")


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
        # Translators: where a problem is ("Baris 5, kolom kode"), then what it is.
        return _("%(where)s: %(message)s") % {"where": where, "message": self.message}


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
