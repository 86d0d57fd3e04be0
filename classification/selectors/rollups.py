"""Roll-up selectors: every kabupaten of a provinsi, or every provinsi, side by side.

A fixed number of queries whatever the number of regions or kampung: the regions, the target
policies, one grouped count of levels, one grouped count over the level history.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.urls import reverse

from ..models import ClassificationLevel, Kabupaten, Kampung, Provinsi, TargetPolicy
from ..rules.numbers import share
from ..rules.targets import TargetRule
from .dashboard import LevelCount
from .levels import active_on, level_count_kwargs, level_on, upper_codes


@dataclass(frozen=True)
class RollupRow:
    """One kabupaten (provinsi roll-up) or one provinsi (national roll-up)."""

    kode: str
    nama: str
    url: str
    total: int
    levels: list[LevelCount]
    unassigned: int
    upper_count: int
    upper_share: Decimal
    completeness: Decimal  # share of active kampung with an official level
    target: int | None  # this year's cumulative target of mandiri+ (None before the baseline)
    actual: int  # mandiri+ today, as the level history says
    default_policy: int  # how many of the row's kabupaten use the national default policy

    @property
    def gap(self) -> int:
        return max(0, (self.target or 0) - self.actual)

    @property
    def target_share(self) -> Decimal:
        """Actual as a share of the target (100 when met or when there is no target)."""
        if not self.target:
            return Decimal("100.0")
        return min(Decimal("100.0"), share(self.actual, self.target))


@dataclass(frozen=True)
class Rollup:
    rows: list[RollupRow]  # sorted by region code
    total: RollupRow  # the whole scope


def _kabupaten_target(
    *,
    rule: TargetRule,
    upper_on: dict[datetime.date, int],
    base_on: dict[datetime.date, int],
    today: datetime.date,
) -> int | None:
    """This year's target of one kabupaten from the counts on the rule's dates (None before
    its baseline), each year's quota from that year's base as ``target_progress`` reads it."""
    if rule.baseline_date > today:
        return None
    return rule.target_in(
        today.year,
        baseline_upper=upper_on[rule.baseline_date],
        bases={year: base_on[day] for year, day in rule.base_dates(today).items()},
    )


def kabupaten_rollup(
    *,
    provinsi_kode: str | None,
    levels: list[ClassificationLevel],
    today: datetime.date,
) -> Rollup:
    """Per kabupaten of ``provinsi_kode`` (or per provinsi when ``None``: national), the active
    kampung by level, the mandiri+ share, completeness and this year's target against today.

    Targets follow each kabupaten's TargetPolicy, else the national default (5%, rounded up,
    ``DEFAULT_TARGET_BASELINE_DATE``), each year's quota from that year's base as on /target/;
    a provinsi's target is the sum of its kabupaten's. Four queries.
    """
    national = provinsi_kode is None
    kabupaten_qs = Kabupaten.objects.order_by("kode")
    kampung_qs = Kampung.objects.active()
    policy_qs = TargetPolicy.objects.all()
    if not national:
        kabupaten_qs = kabupaten_qs.filter(provinsi_id=provinsi_kode)
        kampung_qs = kampung_qs.filter(kecamatan__kabupaten__provinsi_id=provinsi_kode)
        policy_qs = policy_qs.filter(kabupaten__provinsi_id=provinsi_kode)
    kabupaten = list(kabupaten_qs.values_list("kode", "nama", "provinsi_id", "provinsi__nama"))
    policies = {p.kabupaten_id: p for p in policy_qs}
    rules = {
        kode: (policies.get(kode) or TargetPolicy.national_default(kabupaten_kode=kode)).rule
        for kode, *_ in kabupaten
    }

    counts = {
        row["kecamatan__kabupaten_id"]: row
        for row in kampung_qs.values("kecamatan__kabupaten_id")
        .annotate(total=Count("pk"), **level_count_kwargs(levels))
        .order_by()
    }

    # Every date any kabupaten needs: its baseline, each year's base date since, and today.
    started = [rule for rule in rules.values() if rule.baseline_date <= today]
    upper_dates = sorted({rule.baseline_date for rule in started} | {today})
    base_dates = sorted({day for rule in started for day in rule.base_dates(today).values()})
    upper = upper_codes(levels)
    column = {day: f"level_{i}" for i, day in enumerate(upper_dates)}
    history = {
        row["kecamatan__kabupaten_id"]: row
        for row in kampung_qs.annotate(**{name: level_on(day) for day, name in column.items()})
        .values("kecamatan__kabupaten_id")
        .annotate(
            **{
                f"upper_{i}": Count("pk", filter=Q(**{f"{column[day]}__in": upper}))
                for i, day in enumerate(upper_dates)
            },
            **{f"base_{i}": Count("pk", filter=active_on(day)) for i, day in enumerate(base_dates)},
        )
        .order_by()
    }

    upper_positions = {day: i for i, day in enumerate(upper_dates)}
    base_positions = {day: i for i, day in enumerate(base_dates)}
    kabupaten_rows = []
    for kode, nama, provinsi_id, provinsi_nama in kabupaten:
        count_row = counts.get(kode, {})
        history_row = history.get(kode, {})
        upper_on = {d: history_row.get(f"upper_{i}", 0) for d, i in upper_positions.items()}
        base_on = {d: history_row.get(f"base_{i}", 0) for d, i in base_positions.items()}
        kabupaten_rows.append(
            (
                provinsi_id,
                provinsi_nama,
                _row(
                    kode=kode,
                    nama=nama,
                    url=reverse("classification:district_dashboard", args=[kode]),
                    total=count_row.get("total", 0),
                    level_counts=[count_row.get(f"n_{level.code}", 0) for level in levels],
                    levels=levels,
                    target=_kabupaten_target(
                        rule=rules[kode], upper_on=upper_on, base_on=base_on, today=today
                    ),
                    actual=upper_on[today],
                    default_policy=int(kode not in policies),
                ),
            )
        )

    if national:
        grouped: dict[str, list[RollupRow]] = defaultdict(list)
        names = dict(Provinsi.objects.values_list("kode", "nama"))
        for provinsi_id, _, row in kabupaten_rows:
            grouped[provinsi_id].append(row)
        rows = [
            _sum_rows(
                kode=kode,
                nama=names[kode],
                url=reverse("classification:province_rollup", args=[kode]),
                rows=grouped.get(kode, []),
                levels=levels,
            )
            for kode in sorted(names)
        ]
    else:
        rows = [row for _, _, row in kabupaten_rows]
    return Rollup(
        rows=rows,
        total=_sum_rows(kode=provinsi_kode or "", nama="", url="", rows=rows, levels=levels),
    )


def _row(
    *,
    kode: str,
    nama: str,
    url: str,
    total: int,
    level_counts: list[int],
    levels: list[ClassificationLevel],
    target: int | None,
    actual: int,
    default_policy: int,
) -> RollupRow:
    assigned = sum(level_counts)
    upper_levels = upper_codes(levels)
    upper = sum(
        n for n, level in zip(level_counts, levels, strict=True) if level.code in upper_levels
    )
    return RollupRow(
        kode=kode,
        nama=nama,
        url=url,
        total=total,
        levels=[
            LevelCount(
                code=level.code,
                label=level.label,
                colour=level.colour,
                count=n,
                share=share(n, total),
            )
            for n, level in zip(level_counts, levels, strict=True)
        ],
        unassigned=total - assigned,
        upper_count=upper,
        upper_share=share(upper, total),
        completeness=share(assigned, total),
        target=target,
        actual=actual,
        default_policy=default_policy,
    )


def _sum_rows(
    *, kode: str, nama: str, url: str, rows: list[RollupRow], levels: list[ClassificationLevel]
) -> RollupRow:
    with_target = [row.target for row in rows if row.target is not None]
    return _row(
        kode=kode,
        nama=nama,
        url=url,
        total=sum(row.total for row in rows),
        level_counts=[sum(row.levels[i].count for row in rows) for i in range(len(levels))],
        levels=levels,
        target=sum(with_target) if with_target else None,
        actual=sum(row.actual for row in rows),
        default_policy=sum(row.default_policy for row in rows),
    )
