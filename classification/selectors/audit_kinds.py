"""The kinds of record the audit trail lists, and how each one is described."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ..models import (
    Activity,
    Agency,
    Assessment,
    Kampung,
    KampungFigures,
    KampungProfile,
    KampungProgram,
    LevelChange,
    PokjaMembership,
    RegionScope,
    TargetPolicy,
    ThematicProgram,
)
from ..models.kampung import IDENTITY_FIELDS
from .changes import EMPTY, HistoryRow, related_label

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Never shown as a change: bookkeeping, not something a person decided.
NOISE_FIELDS = frozenset({"id", "version", "created_at", "created_by", "is_demo", "boundary"})

User = get_user_model()


# --------------------------------------------------------------------------------------------
# The kinds of record in the trail
# --------------------------------------------------------------------------------------------


def _month(value: datetime.date | None) -> str:
    return date_format(value, "YEAR_MONTH_FORMAT") if value else EMPTY


def related(row: HistoryRow, name: str) -> models.Model | None:
    # Loaded by select_related; None when the target has been deleted since.
    return getattr(row, name) if getattr(row, f"{name}_id") is not None else None


def _label_or_id(row: HistoryRow, name: str) -> str:
    target = related(row, name)
    if target is not None:
        return related_label(target)
    return f"#{getattr(row, f'{name}_id')}" if getattr(row, f"{name}_id") else EMPTY


@dataclass(frozen=True)
class Kind:
    """One tracked model as the trail shows it."""

    key: str  # in ``?jenis=`` and the templates
    label: StrOrPromise
    model: type[models.Model]
    # How the history row reaches its kampung: "self" (the kampung itself), "kampung" (its FK),
    # or None (not a kampung's record).
    kampung: str | None
    describe: Callable[[HistoryRow], str]
    # Fields shown in diffs: None means every tracked field but the noise.
    shown: tuple[str, ...] | None = None
    hidden: frozenset[str] = frozenset()
    # The predecessor of a row: the previous record of the same object, or (profiles, which are
    # never edited but saved as new versions) the previous version of the same kampung.
    predecessor_by: str = "id"
    m2m: tuple[str, ...] = ()
    # Leave out changes that changed none of the shown fields (an account's every login saves
    # ``last_login``, which the history does not keep but still records as a change).
    skip_unchanged: bool = False

    @property
    def history_model(self) -> Any:
        """The model of this kind's history rows, built by simple-history at runtime (untyped)."""
        return self.model.history.model  # type: ignore[attr-defined]  # added by simple-history

    @cached_property
    def fields(self) -> list[models.Field[Any, Any]]:
        tracked = {f.name for f in self.history_model._meta.concrete_fields}
        if self.shown is not None:
            names = self.shown
        else:
            # A record's kampung is the entry's context, not one of its changes.
            context = {"kampung"} if self.kampung == "kampung" else set()
            skip = NOISE_FIELDS | self.hidden | context
            names = tuple(
                f.name
                for f in self.model._meta.concrete_fields
                if f.name in tracked and f.name not in skip
            )
        return [self.history_model._meta.get_field(name) for name in names]

    @cached_property
    def relations(self) -> list[str]:
        names = ["history_user"]
        if self.kampung == "kampung":
            names.append("kampung")
        names += [f.name for f in self.fields if f.is_relation]
        return list(dict.fromkeys(names))


def kampung_name(row: HistoryRow) -> str:
    return row.nama_kampung or _("Kampung KB %(desa)s") % {"desa": row.desa_nama}


KINDS: tuple[Kind, ...] = (
    Kind(
        "kampung",
        _("Identitas kampung"),
        Kampung,
        "self",
        describe=lambda row: kampung_name(row),
        # What people edit. Codes, names and levels change through loaders and level services
        # that write no history, so a diff on them would blame the next person who edits.
        shown=(*IDENTITY_FIELDS, "is_active"),
    ),
    Kind(
        "level",
        _("Level resmi"),
        LevelChange,
        "kampung",
        describe=lambda row: f"{_label_or_id(row, 'level_from')} → {_label_or_id(row, 'level_to')}",
        hidden=frozenset({"changed_by"}),
    ),
    Kind(
        "penilaian",
        _("Penilaian"),
        Assessment,
        "kampung",
        describe=lambda row: str(_("Penilaian %(period)s") % {"period": _month(row.period)}),
        # The scores are a JSON snapshot (the verification pages show them); who submitted and
        # reviewed, and when, is the entry's own who and when.
        hidden=frozenset(
            {
                "scores",
                "profile",
                "figures",
                "submitted_by",
                "submitted_at",
                "reviewed_by",
                "reviewed_at",
            }
        ),
    ),
    Kind(
        "profil",
        _("Profil"),
        KampungProfile,
        "kampung",
        describe=lambda row: str(_("Profil kampung")),
        predecessor_by="kampung_id",
    ),
    Kind(
        "angka",
        _("Angka"),
        KampungFigures,
        "kampung",
        describe=lambda row: str(_("Angka %(period)s") % {"period": _month(row.period)}),
    ),
    Kind(
        "kegiatan",
        _("Kegiatan"),
        Activity,
        "kampung",
        describe=lambda row: row.title,
        m2m=("agencies",),
    ),
    Kind(
        "program",
        _("Program tematik kampung"),
        KampungProgram,
        "kampung",
        describe=lambda row: _label_or_id(row, "program"),
    ),
    Kind(
        "pokja",
        _("Anggota Pokja"),
        PokjaMembership,
        "kampung",
        describe=lambda row: _label_or_id(row, "user"),
    ),
    Kind(
        "akun",
        _("Akun"),
        User,
        None,
        describe=lambda row: row.username,
        hidden=frozenset({"date_joined"}),
        skip_unchanged=True,
    ),
    Kind(
        "cakupan",
        _("Cakupan wilayah"),
        RegionScope,
        None,
        describe=lambda row: (
            f"{_label_or_id(row, 'user')}: "
            f"{_label_or_id(row, 'kabupaten' if row.kabupaten_id else 'provinsi')}"
        ),
    ),
    Kind(
        "target",
        _("Kebijakan target"),
        TargetPolicy,
        None,
        describe=lambda row: _label_or_id(row, "kabupaten"),
    ),
    Kind("instansi", _("Instansi"), Agency, None, describe=lambda row: row.name),
    Kind(
        "daftar-program",
        _("Daftar program tematik"),
        ThematicProgram,
        None,
        describe=lambda row: row.name,
    ),
)


KINDS_BY_KEY = {kind.key: kind for kind in KINDS}


KIND_CHOICES = [(kind.key, kind.label) for kind in KINDS]


KAMPUNG_KINDS = tuple(kind for kind in KINDS if kind.kampung is not None)
