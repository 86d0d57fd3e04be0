"""Every Plotly figure of the site. The only module that imports plotly.

Builders take selector output and return a figure as a plain dict (``{"data": [...], "layout":
{...}}``; tests read its traces); ``render`` turns one into an HTML fragment that expects plotly.js
to be loaded by the page from our own static files. Plain dicts, not ``plotly.graph_objects``:
those validate every property on construction, which cost half a second per dashboard for the
135-polygon map. The trace keys are plotly's own, checked by the browser tests that draw them.
"""

from __future__ import annotations

from collections.abc import Iterable

import plotly.io as pio
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from .models import ClassificationLevel
from .selectors.dashboard import DistrictSummary, KecamatanLevels, ProgramLevels
from .selectors.target import KecamatanMovement, TargetProgress

UNASSIGNED_COLOUR = "#bdbdbd"
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13}
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}


Figure = dict  # {"data": [trace, ...], "layout": {...}}


def _kampung_hover(label: str, count: str) -> str:
    """Hover text "<label>: <count> kampung", in the active language; label and count are
    plotly placeholders (``%{x}``), filled in by the browser."""
    return _("%(label)s: %(count)s kampung") % {"label": label, "count": count}


def _decimal(value) -> str:
    """One decimal, rounded, with the active language's decimal separator ("68,9" in id)."""
    return f"{value:.1f}".replace(".", get_format("DECIMAL_SEPARATOR"))


def _separators() -> str:
    """Plotly's decimal and thousands separators in the active language ("," and "." in id)."""
    return f"{get_format('DECIMAL_SEPARATOR')}{get_format('THOUSAND_SEPARATOR')}"


def _figure(traces: list[dict], **layout) -> Figure:
    # No theme template: plotly.js's plain defaults, without the Python theme's KB of JSON per
    # chart (the map passes a template of its own, holding only its shared trace defaults).
    defaults = {
        "font": FONT,
        "margin": {"l": 48, "r": 16, "t": 24, "b": 48},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "legend": {"orientation": "h", "y": -0.15},
        "separators": _separators(),
    }
    return {"data": traces, "layout": {**defaults, **layout}}


def render(fig: Figure, *, div_id: str) -> str:
    """An embeddable fragment: a div and an inline script holding the figure's data."""
    return pio.to_html(
        fig,
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        config=PLOTLY_CONFIG,
        validate=False,
    )


def level_distribution(summary: DistrictSummary) -> Figure:
    """Bars of kampung per level, labelled with count and share."""
    trace = {
        "type": "bar",
        "x": [level.label for level in summary.levels],
        "y": [level.count for level in summary.levels],
        "marker": {"color": [level.colour for level in summary.levels]},
        "text": [f"{level.count} ({_decimal(level.share)}%)" for level in summary.levels],
        "textposition": "auto",
        "hovertemplate": _kampung_hover("%{x}", "%{y}") + "<extra></extra>",
        "name": _("Kampung KB"),
    }
    return _figure([trace], height=320, yaxis={"title": {"text": _("Jumlah kampung")}})


def levels_by_kecamatan(rows: list[KecamatanLevels], levels: list[ClassificationLevel]) -> Figure:
    """One stacked bar per kecamatan, one trace per level."""
    names = [row.nama for row in rows]
    traces = [
        {
            "type": "bar",
            "name": level.label,
            "x": names,
            "y": [row.counts[index] for row in rows],
            "marker": {"color": level.colour},
            "hovertemplate": "%{x}<br>" + level.label + ": %{y}<extra></extra>",
        }
        for index, level in enumerate(levels)
    ]
    return _figure(
        traces,
        barmode="stack",
        height=380,
        yaxis={"title": {"text": _("Jumlah kampung")}},
        xaxis={"tickangle": -35},
        margin={"l": 48, "r": 16, "t": 24, "b": 110},
        legend={"orientation": "h", "y": 1.12, "traceorder": "normal"},
    )


def programs_by_level(rows: list[ProgramLevels], levels: list[ClassificationLevel]) -> Figure:
    """One horizontal stacked bar per thematic programme, one trace per official level."""
    names = [row.name for row in rows]
    traces = [
        {
            "type": "bar",
            "name": level.label,
            "y": names,
            "x": [row.counts[index] for row in rows],
            "orientation": "h",
            "marker": {"color": level.colour},
            "hovertemplate": "%{y}<br>" + level.label + ": %{x}<extra></extra>",
        }
        for index, level in enumerate(levels)
    ]
    return _figure(
        traces,
        barmode="stack",
        height=140 + 48 * len(rows),
        xaxis={"title": {"text": _("Jumlah kampung")}, "rangemode": "tozero"},
        # First programme on top, as in the table below the chart.
        yaxis={"autorange": "reversed", "automargin": True, "ticksuffix": "  "},
        margin={"l": 16, "r": 16, "t": 24, "b": 48},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "traceorder": "normal"},
    )


def target_progress(progress: TargetProgress) -> Figure:
    """Mandiri+paripurna at each year's end against the cumulative 5%-a-year target."""
    years = [str(year.year) for year in progress.years]
    actual_labels = [
        _("%(year)s (s.d. hari ini)") % {"year": y.year} if y.is_current else str(y.year)
        for y in progress.years
    ]
    traces = [
        {
            "type": "bar",
            "name": _("Capaian (mandiri + paripurna)"),
            "x": years,
            "y": [year.actual for year in progress.years],
            "customdata": actual_labels,
            "marker": {"color": "#1b9e77"},
            "text": [year.actual for year in progress.years],
            "textposition": "auto",
            "hovertemplate": _kampung_hover("%{customdata}", "%{y}") + "<extra></extra>",
        },
        {
            "type": "scatter",
            "name": _("Target"),
            "x": years,
            "y": [year.target for year in progress.years],
            "mode": "lines+markers+text",
            "text": [year.target for year in progress.years],
            "textposition": "top center",
            "line": {"color": "#d95f02", "width": 3},
            "hovertemplate": _("Target %(year)s: %(count)s") % {"year": "%{x}", "count": "%{y}"}
            + "<extra></extra>",
        },
    ]
    return _figure(
        traces,
        height=340,
        xaxis={"type": "category"},
        yaxis={"title": {"text": _("Kampung mandiri + paripurna")}, "rangemode": "tozero"},
    )


MOVED_UP_COLOUR = "#1b9e77"
MOVED_DOWN_COLOUR = "#d95f02"


def movements_by_kecamatan(rows: list[KecamatanMovement]) -> Figure:
    """Per kecamatan, kampung that moved up into mandiri/paripurna and down out of it."""
    names = [row.nama for row in rows]
    traces = [
        {
            "type": "bar",
            "name": _("Naik ke mandiri/paripurna"),
            "x": names,
            "y": [row.movement.moved_up for row in rows],
            "marker": {"color": MOVED_UP_COLOUR},
            "hovertemplate": _("%(kecamatan)s: %(count)s naik")
            % {"kecamatan": "%{x}", "count": "%{y}"}
            + "<extra></extra>",
        },
        {
            "type": "bar",
            "name": _("Turun dari mandiri/paripurna"),
            "x": names,
            "y": [row.movement.moved_down for row in rows],
            "marker": {"color": MOVED_DOWN_COLOUR},
            "hovertemplate": _("%(kecamatan)s: %(count)s turun")
            % {"kecamatan": "%{x}", "count": "%{y}"}
            + "<extra></extra>",
        },
    ]
    return _figure(
        traces,
        barmode="group",
        height=300,
        yaxis={"title": {"text": _("Jumlah kampung")}, "rangemode": "tozero"},
        xaxis={"tickangle": -35},
        margin={"l": 48, "r": 16, "t": 24, "b": 110},
        legend={"orientation": "h", "y": 1.15, "traceorder": "normal"},
    )


def _rings(geometry: dict) -> Iterable[list[list[float]]]:
    """Outer rings of a GeoJSON Polygon or MultiPolygon (holes are too small to matter here)."""
    if geometry["type"] == "Polygon":
        yield geometry["coordinates"][0]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield polygon[0]


# Shared by every desa trace of the map, given once as the layout template's scatter defaults
# instead of repeated on 135 traces.
MAP_TRACE_DEFAULTS = {
    "mode": "lines",
    "fill": "toself",
    "line": {"color": "#ffffff", "width": 0.6},
    "hoveron": "fills",
    "hoverinfo": "text+name",
}


def level_map(features: list[dict], levels: list[ClassificationLevel]) -> Figure:
    """Desa polygons filled with their official level's colour, drawn as plain scatter traces.

    No map tiles and no topojson download: the page works offline. One trace per desa so each
    area shows its own name on hover; the legend shows each level once.
    """
    by_code = {level.code: level for level in levels}
    legend_shown: set[str] = set()
    traces = []
    for feature in features:
        level = by_code.get(feature["official_level_id"])
        group = level.code if level else "none"
        lons: list[float | None] = []
        lats: list[float | None] = []
        for ring in _rings(feature["boundary"]):
            if lons:
                lons.append(None)
                lats.append(None)
            lons.extend(point[0] for point in ring)
            lats.extend(point[1] for point in ring)
        # Only what differs between desa; the rest comes from MAP_TRACE_DEFAULTS. No "type":
        # scatter is plotly's default trace type.
        traces.append(
            {
                "x": lons,
                "y": lats,
                "fillcolor": level.colour if level else UNASSIGNED_COLOUR,
                "name": level.label if level else _("Belum ditetapkan"),
                "legendgroup": group,
                "legendrank": level.rank if level else 99,
                "showlegend": group not in legend_shown,
                "text": f"{feature['desa_nama']} ({feature['kecamatan__nama']})",
            }
        )
        legend_shown.add(group)
    hidden_axis = {"visible": False, "showgrid": False, "zeroline": False}
    return _figure(
        traces,
        template={"data": {"scatter": [MAP_TRACE_DEFAULTS]}},
        height=520,
        xaxis=hidden_axis,
        yaxis={**hidden_axis, "scaleanchor": "x", "scaleratio": 1},
        margin={"l": 0, "r": 0, "t": 8, "b": 0},
        hovermode="closest",
    )


def rollup_shares(rows, levels: list[ClassificationLevel]) -> Figure:
    """Stacked shares by level, one bar per region (``rollups.RollupRow``), best mandiri+ first."""
    ordered = sorted(rows, key=lambda row: (-row.upper_share, row.kode))
    names = [row.nama for row in ordered]
    traces = [
        {
            "type": "bar",
            "name": level.label,
            "x": names,
            "y": [float(row.levels[index].share) for row in ordered],
            "marker": {"color": level.colour},
            "hovertemplate": "%{x}<br>" + level.label + ": %{y:.1f}%<extra></extra>",
        }
        for index, level in enumerate(levels)
    ]
    traces.append(
        {
            "type": "bar",
            "name": _("Belum ditetapkan"),
            "x": names,
            "y": [float(_unassigned_share(row)) for row in ordered],
            "marker": {"color": UNASSIGNED_COLOUR},
            "hovertemplate": "%{x}<br>" + _("Belum ditetapkan") + ": %{y:.1f}%<extra></extra>",
        }
    )
    return _figure(
        traces,
        barmode="stack",
        height=420,
        yaxis={"title": {"text": _("Persen Kampung KB")}, "range": [0, 100]},
        xaxis={"tickangle": -35},
        margin={"l": 48, "r": 16, "t": 24, "b": 130},
        legend={"orientation": "h", "y": 1.12, "traceorder": "normal"},
    )


def _unassigned_share(row) -> float:
    return float(100 - row.completeness) if row.total else 0.0
