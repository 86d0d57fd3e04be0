"""CSV/XLSX downloads of a django-tables2 table: exactly the filtered rows, typed cells in XLSX
(numbers as numbers, dates as dates) and the filter used on a second sheet ("Filter")."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django_tables2.export import ExportMixin, TableExport

# Query parameters that are not filters: sorting, paging, the download itself.
NOT_FILTERS = {"sort", "page", "per_page", "_export"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def filter_line(params) -> str:
    """``Filter: kecamatan=…, level=…`` from the request's filter parameters (``semua`` if none)."""
    pairs = [
        f"{key}={value}"
        for key in params
        if key not in NOT_FILTERS
        for value in params.getlist(key)
        if value != ""
    ]
    return _("Filter: %(filters)s") % {"filters": ", ".join(pairs) if pairs else _("semua")}


def add_filter_sheet(xlsx: bytes, line: str) -> bytes:
    """The workbook with a second sheet "Filter" whose A1 is ``line``."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx))
    book.worksheets[0].title = _("Data")
    book.create_sheet(_("Filter"))["A1"] = line
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class FilteredExportMixin(ExportMixin):
    """``ExportMixin`` whose XLSX carries the filter used; CSV stays plain rows with a header."""

    export_formats = ("csv", "xlsx")

    def create_export(self, export_format):
        table = self.get_table(**self.get_table_kwargs())
        exporter = TableExport(
            export_format=export_format,
            table=table,
            exclude_columns=self.exclude_columns,
            dataset_kwargs=self.get_dataset_kwargs(),
        )
        filename = self.get_export_filename(export_format)
        if export_format != "xlsx":
            return exporter.response(filename=filename)
        body = add_filter_sheet(exporter.export(), filter_line(self.request.GET))
        response = HttpResponse(body, content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
