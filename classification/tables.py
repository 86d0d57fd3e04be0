"""django-tables2 tables. Exports use the same table: a download holds exactly the filtered rows."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .models import Kampung, PokjaMembership
from .rules.numbers import format_decimal

__all__ = ["KampungTable", "TargetCandidateTable", "PokjaAccountTable", "CompletenessTable"]

# For tables whose cells carry no attributes of their own: rendering them bare saves about a
# quarter of a 50-row table's time (see the template).
PLAIN_CELLS = "classification/tables/plain_cells.html"


def level_badge(level) -> str:
    if level is None:
        return format_html('<span class="badge badge-none">{}</span>', _("Belum ditetapkan"))
    return format_html(
        '<span class="badge" style="--level-colour: {}">{}</span>', level.colour, level.label
    )


class DateColumn(tables.Column):
    """A date in ``format`` (Indonesian month names), as django-tables2's DateColumn shows it.

    That column renders every cell through a template; formatting in Python is the same text
    at a fraction of the cost, which a page of 50 rows feels.
    """

    # Every cell goes through render (as in django-tables2's template columns), so a table's
    # value_<name> method still sees a missing date.
    empty_values = ()

    def __init__(self, *args, format: str, **kwargs):
        self.format = format
        super().__init__(*args, **kwargs)

    def render(self, value, bound_column):
        return date_format(value, self.format) if value else bound_column.default


class KampungTable(tables.Table):
    desa_kode = tables.Column(verbose_name=_("Kode"), linkify=True)
    desa_nama = tables.Column(verbose_name=_("Desa/kelurahan"), linkify=True)
    jenis = tables.Column(verbose_name=_("Jenis"))
    kecamatan = tables.Column(
        verbose_name=_("Kecamatan"), accessor="kecamatan__nama", order_by=("kecamatan__nama",)
    )
    official_level = tables.Column(
        verbose_name=_("Level resmi"),
        order_by=("official_level__rank", "desa_kode"),
        # No empty values: a kampung without a level still goes through render_official_level
        # and shows the "Belum ditetapkan" badge instead of the table-wide "—".
        empty_values=(),
    )
    official_level_since = DateColumn(verbose_name=_("Sejak"), format="j M Y", default="—")
    # Advice from the scoring rule on the kampung's own records, never the official level.
    estimated_level = tables.Column(
        verbose_name=_("Level estimasi"),
        order_by=("estimated_level__rank", "desa_kode"),
        default=None,
    )

    class Meta:
        model = Kampung
        fields = (
            "desa_kode",
            "desa_nama",
            "jenis",
            "kecamatan",
            "official_level",
            "official_level_since",
            "estimated_level",
        )
        order_by = ("desa_kode",)
        attrs = {"class": "table table-kampung"}
        template_name = PLAIN_CELLS
        empty_text = _("Tidak ada kampung yang cocok dengan filter ini.")

    def render_official_level(self, value):
        return level_badge(value)

    def value_official_level(self, value):
        # Exports get the plain label, not the HTML badge.
        return value.label if value else ""

    def render_estimated_level(self, value):
        return level_badge(value)

    def value_estimated_level(self, value):
        return value.label if value else ""

    def value_official_level_since(self, value):
        # A date, not text: XLSX gets a date cell, CSV writes it as ISO (2025-07-31).
        return value or ""


def _stacked(label) -> dict:
    """A column header that a phone also shows beside each cell (``table-stack``)."""
    return {"verbose_name": label, "attrs": {"td": {"data-label": label}}}


class PokjaAccountTable(tables.Table):
    """Pokja accounts for the DP3A staff who manage them: one row per Pokja seat."""

    username = tables.Column(
        accessor="user__username", order_by=("user__username",), **_stacked(_("Nama pengguna"))
    )
    name = tables.Column(
        accessor="user",
        order_by=("user__first_name", "user__last_name"),
        empty_values=(),
        **_stacked(_("Nama")),
    )
    kampung = tables.Column(
        linkify=lambda record: record.kampung.get_absolute_url(),
        order_by=("kampung__desa_nama", "kampung__desa_kode"),
        **_stacked(_("Kampung")),
    )
    jabatan = tables.Column(**_stacked(_("Jabatan")))
    is_active = tables.Column(
        accessor="user__is_active", order_by=("-user__is_active",), **_stacked(_("Status"))
    )
    last_login = tables.DateTimeColumn(
        accessor="user__last_login",
        format="j M Y H:i",
        default=_("Belum pernah"),
        **_stacked(_("Terakhir masuk")),
    )
    actions = tables.Column(
        accessor="user",
        orderable=False,
        empty_values=(),
        exclude_from_export=True,
        **_stacked(_("Tindakan")),
    )

    class Meta:
        model = PokjaMembership
        fields = ("username", "name", "kampung", "jabatan", "is_active", "last_login", "actions")
        order_by = ("kampung",)
        attrs = {"class": "table table-stack", "data-testid": "pokja-accounts"}
        row_attrs = {"data-testid": "pokja-account"}
        empty_text = _("Tidak ada akun Pokja yang cocok.")

    def render_name(self, value) -> str:
        return value.get_full_name() or "—"

    def render_kampung(self, value) -> str:
        return format_html(
            '{} <span class="muted small">{}</span>',
            value.desa_nama,
            _("Kec. %(kecamatan)s") % {"kecamatan": value.kecamatan.nama},
        )

    def value_name(self, value) -> str:
        return value.get_full_name()

    def value_kampung(self, value) -> str:
        return f"{value.desa_kode} {value.desa_nama}"

    def value_is_active(self, value) -> str:
        return str(_("Aktif") if value else _("Nonaktif"))

    def value_last_login(self, value):
        # XLSX cells cannot hold a time zone: the local time, as on the page.
        return timezone.localtime(value).replace(tzinfo=None) if value else ""

    def render_is_active(self, value) -> str:
        if value:
            return format_html('<span class="status status-verified">{}</span>', _("Aktif"))
        return format_html('<span class="status status-returned">{}</span>', _("Nonaktif"))

    def render_actions(self, value) -> str:
        if value.is_active:
            toggle = ("classification:pokja_account_deactivate", _("Nonaktifkan"))
        else:
            toggle = ("classification:pokja_account_activate", _("Aktifkan"))
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("classification:pokja_account_password", args=[value.pk]),
            _("Ganti sandi"),
            reverse(toggle[0], args=[value.pk]),
            toggle[1],
        )


def _index_text(value) -> str:
    """A group index with a decimal comma ("2,60"); "—" when the kampung has no estimate."""
    return "—" if value is None else format_decimal(value)


def estimate_badge(level) -> str:
    """The estimated level as an outlined badge, so it never reads as the official one."""
    if level is None:
        return "—"
    return format_html(
        '<span class="badge badge-estimate" style="--level-colour: {}">{}</span>',
        level.colour,
        level.label,
    )


class TargetCandidateTable(tables.Table):
    """Kampung nearest to mandiri (``selectors.target_candidates``), in the selector's order.

    The page and its CSV/XLSX downloads use this one table: the download holds the rows shown.
    """

    desa_kode = tables.Column(verbose_name=_("Kode"), accessor="kampung__desa_kode")
    kampung = tables.Column(
        verbose_name=_("Kampung"),
        accessor="kampung__desa_nama",
        linkify=lambda record: record.kampung.get_absolute_url(),
    )
    kecamatan = tables.Column(verbose_name=_("Kecamatan"), accessor="kampung__kecamatan__nama")
    official_level = tables.Column(
        verbose_name=_("Level resmi"), accessor="kampung__official_level", empty_values=()
    )
    estimated_level = tables.Column(
        verbose_name=_("Level estimasi"), accessor="kampung__estimated_level", empty_values=()
    )
    index_input = tables.Column(
        verbose_name=_("Indeks input"), accessor="kampung__estimated_input", empty_values=()
    )
    index_proses = tables.Column(
        verbose_name=_("Indeks proses"), accessor="kampung__estimated_proses", empty_values=()
    )
    index_output = tables.Column(
        verbose_name=_("Indeks output"), accessor="kampung__estimated_output", empty_values=()
    )
    missing = tables.Column(verbose_name=_("Yang masih kurang"), empty_values=())

    class Meta:
        orderable = False
        attrs = {"class": "table table-compact table-candidates", "data-testid": "candidates"}
        row_attrs = {"data-testid": "candidate"}
        template_name = PLAIN_CELLS
        empty_text = _("Belum ada kampung di bawah mandiri yang punya data estimasi.")

    def render_official_level(self, value):
        return level_badge(value)

    def value_official_level(self, value):
        return value.label if value else str(_("Belum ditetapkan"))

    def render_estimated_level(self, value):
        return estimate_badge(value)

    def value_estimated_level(self, value):
        return value.label if value else ""

    def render_index_input(self, value):
        return _index_text(value)

    render_index_proses = render_index_output = value_index_input = render_index_input
    value_index_proses = value_index_output = render_index_input

    def _missing_lines(self, record) -> list[str]:
        if record.estimated_upper:
            return [
                str(
                    _(
                        "Data sudah memenuhi %(level)s: tinggal penilaian yang diajukan Pokja "
                        "dan diverifikasi DP3A."
                    )
                    % {"level": record.kampung.estimated_level.label}
                )
            ]
        return list(record.missing)

    def render_missing(self, record):
        lines = self._missing_lines(record)
        if len(lines) == 1:
            return lines[0]
        return format_html(
            "<details><summary>{}</summary><ul>{}</ul></details>",
            lines[0],
            format_html_join("", "<li>{}</li>", ((line,) for line in lines[1:])),
        )

    def value_missing(self, record):
        return "; ".join(self._missing_lines(record))


def _yes_no(ok: bool) -> str:
    if ok:
        return format_html('<span class="status status-verified">{}</span>', _("sudah"))
    return format_html('<span class="status status-returned">{}</span>', _("belum"))


class CompletenessTable(tables.Table):
    """Who has reported (``selectors.reporting_completeness`` rows), on ``/kelengkapan/``.

    Downloads carry dates as dates and "sudah"/"belum" as text.
    """

    desa_kode = tables.Column(
        verbose_name=_("Kode"),
        accessor="kampung__desa_kode",
        linkify=lambda record: record.kampung.get_absolute_url(),
    )
    desa_nama = tables.Column(verbose_name=_("Desa/kelurahan"), accessor="kampung__desa_nama")
    kecamatan = tables.Column(verbose_name=_("Kecamatan"), accessor="kampung__kecamatan__nama")
    last_profile = DateColumn(verbose_name=_("Profil terakhir"), format="j M Y")
    profile_ok = tables.Column(verbose_name=_("Profil tahun ini"))
    last_figures = DateColumn(verbose_name=_("Angka terakhir (periode)"), format="M Y")
    figures_ok = tables.Column(verbose_name=_("Angka periode ini"))
    last_activity = DateColumn(verbose_name=_("Kegiatan terakhir"), format="j M Y")
    activity_ok = tables.Column(verbose_name=_("Kegiatan bulan ini"))
    last_update = DateColumn(verbose_name=_("Pembaruan terakhir"), format="j M Y")
    missing_count = tables.Column(verbose_name=_("Belum lapor"))

    class Meta:
        attrs = {"class": "table table-compact", "data-testid": "completeness"}
        row_attrs = {"data-testid": "completeness-row"}
        template_name = PLAIN_CELLS
        order_by = ("desa_kode",)
        empty_text = _("Semua kampung sudah lapor.")
        default = "—"

    def render_profile_ok(self, value):
        return _yes_no(value)

    render_figures_ok = render_activity_ok = render_profile_ok

    def value_profile_ok(self, value):
        return str(_("sudah") if value else _("belum"))

    value_figures_ok = value_activity_ok = value_profile_ok

    def value_last_profile(self, value):
        return value or ""

    value_last_figures = value_last_activity = value_last_update = value_last_profile

    def value_missing_count(self, value):
        return int(value)
