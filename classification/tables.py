"""django-tables2 tables. Exports use the same table: a download holds exactly the filtered rows."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Kampung

__all__ = ["KampungTable"]


def level_badge(level) -> str:
    if level is None:
        return format_html('<span class="badge badge-none">{}</span>', _("Belum ditetapkan"))
    return format_html(
        '<span class="badge" style="--level-colour: {}">{}</span>', level.colour, level.label
    )


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
    official_level_since = tables.DateColumn(verbose_name=_("Sejak"), format="j M Y", default="—")
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
        return value.isoformat() if value else ""
