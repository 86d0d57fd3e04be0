"""The read-only API's reads: a district's report as ``DistrictSummarySerializer`` writes it."""

from __future__ import annotations

import datetime
from typing import Any

from ..models import Kabupaten
from .dashboard import district_summary, level_counts_by_kecamatan
from .levels import level_list
from .target import target_progress


def district_report(*, kabupaten: Kabupaten, today: datetime.date) -> dict[str, Any]:
    """What the district summary returns, straight from the dashboard's selectors (5 queries)."""
    levels = level_list()
    summary = district_summary(kabupaten_kode=kabupaten.kode, levels=levels)
    by_kecamatan = level_counts_by_kecamatan(kabupaten_kode=kabupaten.kode, levels=levels)
    # Each year's quota from that year's own base, as the target page reads domain.md §4.
    progress = target_progress(kabupaten_kode=kabupaten.kode, levels=levels, today=today)
    bkkbn_codes = {level.code: level.bkkbn_code for level in levels}
    return {
        "kabupaten": kabupaten,
        "as_of": today,
        "total": summary.total,
        "kecamatan_count": summary.kecamatan_count,
        "unassigned": summary.unassigned,
        "upper_count": summary.upper_count,
        "upper_share": summary.upper_share,
        "by_level": [
            {
                "code": count.code,
                "label": count.label,
                "bkkbn_code": bkkbn_codes[count.code],
                "colour": count.colour,
                "count": count.count,
                "share": count.share,
            }
            for count in summary.levels
        ],
        "by_kecamatan": [
            {
                "kode": row.kode,
                "nama": row.nama,
                "total": row.total,
                "counts": {level.code: n for level, n in zip(levels, row.counts, strict=True)},
            }
            for row in by_kecamatan
        ],
        "target": progress,
    }
