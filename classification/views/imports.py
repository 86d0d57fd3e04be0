"""``/impor/``: upload a CSV or XLSX of official levels or monthly figures, preview, apply.

The uploaded file is kept in the default storage (``imports/<uuid>.<ext>``) between the preview
and the apply, and the session holds only its storage name, the user's id and the kind: any
app server can answer the next request, and no local path is trusted. Applying reads the stored
file again and checks it again (the data may have changed meanwhile), writes all or nothing
through ``imports.apply.import_apply``, then deletes the file.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.shortcuts import redirect
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView

from .. import permissions
from ..imports.apply import import_apply
from ..imports.check import import_parse
from ..imports.plan import ImportKind, ImportPlan
from ..imports.read import EXTENSIONS, FileProblem, check_name_and_size, max_bytes
from ..rules.figures import FIGURE_COUNT_FIELDS
from .base import RequiresRule

SESSION_KEY = "kampungkb_import"
STORAGE_DIR = "imports"
# Rows listed per section of the preview; the counts always cover every row.
PREVIEW_ROWS = 500


class ImportForm(forms.Form):
    """The file and what it holds; its content is checked by ``imports.check.import_parse``."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Isi berkas"),
        choices=ImportKind.choices,
        initial=ImportKind.LEVELS,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=gettext_lazy("Berkas CSV atau XLSX"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(EXTENSIONS))}),
        error_messages={
            "required": gettext_lazy("Pilih berkas yang akan diimpor."),
            "empty": gettext_lazy("Berkas kosong: tidak ada judul kolom maupun data."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV (koma, titik koma, atau tab; UTF-8) atau XLSX, paling besar %(limit)s. "
            "Baris 1 berisi judul kolom."
        ) % {"limit": _megabytes(max_bytes())}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_name_and_size(upload.name, upload.size)
        except FileProblem as problem:
            raise forms.ValidationError(str(problem), code="invalid_file") from None
        return upload


def _megabytes(size: int) -> str:
    # Up to 6 significant digits, with the active language's decimal separator ("2,5 MB").
    megabytes = Decimal(f"{size / (1024 * 1024):g}")
    return f"{number_format(megabytes)} MB"


class ImportRequiredMixin(RequiresRule):
    """DP3A staff (and superusers) only: anonymous users go to the login page, others get 403."""

    permission_rule = permissions.can_manage_district


def pending_import(request) -> dict | None:
    """The session's uploaded file, if it belongs to this user and still looks like ours."""
    pending = request.session.get(SESSION_KEY)
    if not isinstance(pending, dict):
        return None
    name = str(pending.get("name", ""))
    path = PurePath(name)
    if (
        pending.get("user") != request.user.pk
        or path.parent != PurePath(STORAGE_DIR)
        or path.suffix not in EXTENSIONS
        or pending.get("kind") not in ImportKind.values
    ):
        return None
    return pending


def discard_pending(request) -> None:
    """Delete the session's stored file (if it is this user's) and forget it."""
    pending = pending_import(request)
    if pending is not None:
        default_storage.delete(pending["name"])
    request.session.pop(SESSION_KEY, None)


def parse_pending(pending: dict, user) -> ImportPlan:
    """Read and check the stored file again; ``OSError`` when it is gone."""
    with default_storage.open(pending["name"], "rb") as handle:
        return import_parse(handle, name=pending["file_name"], kind=pending["kind"], user=user)


class ImportUploadView(ImportRequiredMixin, FormView):
    """Step 1: choose the kind and the file; it is stored and the preview opens."""

    template_name = "classification/import_form.html"
    form_class = ImportForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            pending=pending_import(self.request),
            count_fields=FIGURE_COUNT_FIELDS,
            **kwargs,
        )

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        discard_pending(self.request)
        suffix = PurePath(upload.name).suffix.lower()
        name = default_storage.save(f"{STORAGE_DIR}/{uuid.uuid4().hex}{suffix}", upload)
        self.request.session[SESSION_KEY] = {
            "name": name,
            "user": self.request.user.pk,
            "kind": form.cleaned_data["kind"],
            "file_name": PurePath(upload.name).name,
        }
        return redirect("classification:import_preview")


class ImportPreviewView(ImportRequiredMixin, TemplateView):
    """Step 2: what the stored file would change; apply it (all or nothing) or cancel."""

    template_name = "classification/import_preview.html"
    APPLY = "terapkan"
    CANCEL = "batal"

    @cached_property
    def pending(self) -> dict | None:
        # Read once the gate has let the request through, and kept for the whole request.
        return pending_import(self.request)

    def _start_again(self, message: str):
        discard_pending(self.request)
        messages.warning(self.request, message)
        return redirect("classification:import")

    def _parse(self) -> ImportPlan | None:
        try:
            return parse_pending(self.pending, self.request.user)
        except OSError:
            return None

    def get(self, request, *args, **kwargs):
        if self.pending is None:
            return redirect("classification:import")
        plan = self._parse()
        if plan is None:
            return self._start_again(_("Berkas impor tidak ditemukan lagi; unggah ulang."))
        return self.render_to_response(self.get_context_data(plan=plan))

    def post(self, request, *args, **kwargs):
        action = request.POST.get("aksi")
        if self.pending is None:
            return self._start_again(_("Tidak ada berkas yang menunggu; unggah berkasnya lagi."))
        if action == self.CANCEL:
            discard_pending(request)
            messages.info(request, _("Impor dibatalkan; berkas yang diunggah dihapus."))
            return redirect("classification:import")
        if action != self.APPLY:
            return redirect("classification:import_preview")
        if request.POST.get("berkas") != self.pending["name"]:
            # Another tab uploaded a newer file since this preview was shown.
            messages.warning(
                request, _("Berkas sudah diganti dengan unggahan lain; periksa pratinjaunya.")
            )
            return redirect("classification:import_preview")
        plan = self._parse()
        if plan is None:
            return self._start_again(_("Berkas impor tidak ditemukan lagi; unggah ulang."))
        if not plan.ok:
            messages.error(
                request,
                _(
                    "Data berubah sejak pratinjau dan berkas kini memuat kesalahan: tidak ada yang "
                    "disimpan."
                ),
            )
            return self.render_to_response(self.get_context_data(plan=plan))
        try:
            count = import_apply(plan=plan, by=request.user)
        except ValidationError as error:
            messages.error(
                request,
                _("Tidak ada yang disimpan: %(reason)s") % {"reason": " ".join(error.messages)},
            )
            return self.render_to_response(self.get_context_data(plan=plan))
        discard_pending(request)
        if plan.kind == ImportKind.LEVELS:
            text = ngettext(
                "%(count)s perubahan level diterapkan.",
                "%(count)s perubahan level diterapkan.",
                count,
            )
        else:
            text = ngettext(
                "%(count)s angka bulanan disimpan.", "%(count)s angka bulanan disimpan.", count
            )
        messages.success(request, text % {"count": count})
        return redirect("classification:import")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan: ImportPlan = context["plan"]
        context.update(
            pending=self.pending,
            is_levels=plan.kind == ImportKind.LEVELS,
            kind_label=ImportKind(plan.kind).label,
            changes=plan.changes[:PREVIEW_ROWS],
            changes_hidden=max(len(plan.changes) - PREVIEW_ROWS, 0),
            unchanged=plan.unchanged[:PREVIEW_ROWS],
            unchanged_hidden=max(len(plan.unchanged) - PREVIEW_ROWS, 0),
            can_apply=plan.ok and bool(plan.changes),
        )
        return context


__all__ = ["ImportPreviewView", "ImportUploadView"]
