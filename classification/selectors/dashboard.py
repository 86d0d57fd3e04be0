"""The dashboard's reads: totals, levels by kecamatan and programme, map, latest changes, and
the district overview the dashboard and the report share."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    Q,
)

from ..models import (
    ClassificationLevel,
    Kampung,
    KampungProgram,
    LevelChange,
    ThematicProgram,
)
from ..rules.numbers import share
from .levels import kampung_levels_on, level_count_kwargs, upper_codes
from .target import TargetProgress, target_progress


@dataclass(frozen=True)
class LevelCount:
    code: str
    label: str
    colour: str
    count: int
    share: Decimal  # percent of all kampung, one decimal


@dataclass(frozen=True)
class DistrictSummary:
    total: int
    kecamatan_count: int
    levels: list[LevelCount]
    unassigned: int
    upper_count: int
    upper_share: Decimal


@dataclass(frozen=True)
class KecamatanLevels:
    kode: str
    nama: str
    total: int
    counts: list[int]  # in the order of the levels passed to the selector


@dataclass(frozen=True)
class ProgramLevels:
    pk: int
    name: str
    total: int
    counts: list[int]  # in the order of the levels passed to the selector


def district_summary(
    *, kabupaten_kode: str, levels: list[ClassificationLevel], on: datetime.date | None = None
) -> DistrictSummary:
    """Totals and the level distribution of one kabupaten's active Kampung KB (one query).

    With ``on``, levels as they were that day per the history; kampung without a change by
    then count as not yet assigned (a dated snapshot for /laporan/).
    """
    queryset, field = kampung_levels_on(kabupaten_kode, on)
    row = queryset.aggregate(
        total=Count("pk"),
        kecamatan_count=Count("kecamatan", distinct=True),
        **level_count_kwargs(levels, field=field),
    )
    total = row["total"]
    counts = [
        LevelCount(
            code=level.code,
            label=level.label,
            colour=level.colour,
            count=row[f"n_{level.code}"],
            share=share(row[f"n_{level.code}"], total),
        )
        for level in levels
    ]
    upper = sum(c.count for c in counts if c.code in upper_codes(levels))
    return DistrictSummary(
        total=total,
        kecamatan_count=row["kecamatan_count"],
        levels=counts,
        unassigned=total - sum(c.count for c in counts),
        upper_count=upper,
        upper_share=share(upper, total),
    )


def level_counts_by_kecamatan(
    *, kabupaten_kode: str, levels: list[ClassificationLevel], on: datetime.date | None = None
) -> list[KecamatanLevels]:
    """Per kecamatan, how many active kampung sit at each level (one query); ``on`` as in
    ``district_summary``."""
    queryset, field = kampung_levels_on(kabupaten_kode, on)
    rows = (
        queryset.values("kecamatan_id", "kecamatan__nama")
        .annotate(total=Count("pk"), **level_count_kwargs(levels, field=field))
        .order_by("kecamatan_id")
    )
    return [
        KecamatanLevels(
            kode=row["kecamatan_id"],
            nama=row["kecamatan__nama"],
            total=row["total"],
            counts=[row[f"n_{level.code}"] for level in levels],
        )
        for row in rows
    ]


def program_counts_by_level(
    *, kabupaten_kode: str, levels: list[ClassificationLevel]
) -> list[ProgramLevels]:
    """Per active thematic programme, how many active Kampung KB of the kabupaten carry it
    (tag aktif or rintisan), split by official level (one query).

    Every active programme is listed, with zeros where no kampung carries it yet.
    """
    tag = "kampung_tags__"
    carried = Q(
        **{
            f"{tag}status__in": [KampungProgram.Status.AKTIF, KampungProgram.Status.RINTISAN],
            f"{tag}kampung__is_active": True,
            f"{tag}kampung__kecamatan__kabupaten_id": kabupaten_kode,
        }
    )
    rows = (
        ThematicProgram.objects.filter(is_active=True)
        .values("pk", "name")
        .annotate(
            total=Count(f"{tag}pk", filter=carried),
            **{
                f"n_{level.code}": Count(
                    f"{tag}pk",
                    filter=carried & Q(**{f"{tag}kampung__official_level_id": level.code}),
                )
                for level in levels
            },
        )
        .order_by("name")
    )
    return [
        ProgramLevels(
            pk=row["pk"],
            name=row["name"],
            total=row["total"],
            counts=[row[f"n_{level.code}"] for level in levels],
        )
        for row in rows
    ]


def map_features(*, kabupaten_kode: str) -> list[Mapping[str, Any]]:
    """Code, name, level and boundary of every kampung that has one (one query)."""
    return list(
        Kampung.objects.active()
        .in_kabupaten(kabupaten_kode)
        .filter(boundary__isnull=False)
        .values("desa_kode", "desa_nama", "kecamatan__nama", "official_level_id", "boundary")
        .order_by("desa_kode")
    )


def recent_level_changes(*, kabupaten_kode: str, limit: int = 10) -> list[LevelChange]:
    return list(
        LevelChange.objects.filter(kampung__kecamatan__kabupaten_id=kabupaten_kode)
        .exclude(source=LevelChange.Source.BASELINE)
        .select_related("kampung", "level_from", "level_to", "changed_by")
        .defer("kampung__boundary")
        .order_by("-created_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class DistrictOverview:
    """What the dashboard and the printable report both show of a kabupaten: totals and levels,
    levels by kecamatan, thematic programmes by level and the 5%-a-year target."""

    levels: list[ClassificationLevel]
    summary: DistrictSummary
    by_kecamatan: list[KecamatanLevels]
    by_program: list[ProgramLevels]
    progress: TargetProgress


def district_overview(
    *,
    kabupaten_kode: str,
    levels: list[ClassificationLevel],
    today: datetime.date,
    on: datetime.date | None = None,
    detailed: bool = False,
) -> DistrictOverview:
    """The selectors the dashboard and the report share, each called once (five queries).

    ``on`` (the report's dated snapshot) gives the levels and the target as they were that
    day; programmes are always counted as of today. ``detailed`` as in ``target_progress``.
    """
    return DistrictOverview(
        levels=levels,
        summary=district_summary(kabupaten_kode=kabupaten_kode, levels=levels, on=on),
        by_kecamatan=level_counts_by_kecamatan(kabupaten_kode=kabupaten_kode, levels=levels, on=on),
        by_program=program_counts_by_level(kabupaten_kode=kabupaten_kode, levels=levels),
        progress=target_progress(
            kabupaten_kode=kabupaten_kode, levels=levels, today=on or today, detailed=detailed
        ),
    )
