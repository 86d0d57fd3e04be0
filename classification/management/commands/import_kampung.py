"""``manage.py import_kampung``: import official levels or figures from a file as a DP3A user."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from classification.imports.apply import import_apply
from classification.imports.check import import_parse
from classification.imports.plan import ImportKind
from classification.permissions import can_manage_district


class Command(BaseCommand):
    help = (
        "Impor level resmi atau angka bulanan Kampung KB dari berkas CSV/XLSX, atas nama seorang "
        "staf DP3A (hanya kampung di kabupatennya). Semua baris diperiksa dulu; bila ada satu "
        "kesalahan tidak ada yang disimpan. Aman diulang: baris yang sudah sesuai tidak diubah."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Berkas .csv atau .xlsx.")
        parser.add_argument("--kind", required=True, choices=ImportKind.values, help="Isi berkas.")
        parser.add_argument("--user", required=True, help="Nama pengguna staf DP3A.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Periksa saja, jangan simpan apa pun."
        )

    def handle(self, *args, file: Path, kind: str, user: str, dry_run: bool, **options):
        try:
            person = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(_("Pengguna %(user)s tidak ada.") % {"user": repr(user)}) from exc
        if not person.is_active or not can_manage_district(person):
            raise CommandError(
                _("Pengguna %(user)s bukan staf DP3A: tidak boleh mengimpor.")
                % {"user": repr(user)}
            )
        quiet = options["verbosity"] == 0
        try:
            handle = file.open("rb")
        except OSError as exc:
            raise CommandError(
                _("Berkas %(file)s tidak dapat dibuka: %(error)s.")
                % {"file": file, "error": exc.strerror}
            ) from exc
        with (
            handle,
            tqdm(unit="baris", desc=_("Memeriksa"), disable=quiet, file=self.stderr._out) as bar,
        ):
            plan = import_parse(
                handle, name=file.name, kind=kind, user=person, limit_rows=False, progress=bar
            )
        if plan.encoding_note:
            self.stderr.write(self.style.WARNING(plan.encoding_note))
        for error in plan.errors:
            self.stderr.write(str(error))
        if plan.hidden_error_count:
            hidden = ngettext(
                "… dan %(count)s kesalahan lain.",
                "… dan %(count)s kesalahan lain.",
                plan.hidden_error_count,
            )
            self.stderr.write(hidden % {"count": plan.hidden_error_count})
        summary = ngettext(
            "%(rows)s baris: %(changed)s berubah, %(unchanged)s sudah sesuai, "
            "%(errors)s kesalahan.",
            "%(rows)s baris: %(changed)s berubah, %(unchanged)s sudah sesuai, "
            "%(errors)s kesalahan.",
            plan.row_count,
        ) % {
            "rows": plan.row_count,
            "changed": len(plan.changes),
            "unchanged": len(plan.unchanged),
            "errors": plan.error_count,
        }
        if not plan.ok:
            raise CommandError(" ".join((summary, _("Tidak ada yang disimpan."))))
        if dry_run:
            dry = _("Uji coba (--dry-run): tidak ada yang disimpan.")
            self.stdout.write(" ".join((summary, dry)))
            return
        with tqdm(
            total=len(plan.changes),
            unit="baris",
            desc=_("Menyimpan"),
            disable=quiet,
            file=self.stderr._out,
        ) as bar:
            try:
                count = import_apply(plan=plan, by=person, progress=bar)
            except ValidationError as exc:
                raise CommandError(
                    _("Tidak ada yang disimpan: %(reason)s") % {"reason": " ".join(exc.messages)}
                ) from exc
        if kind == ImportKind.LEVELS:
            done = ngettext(
                "%(count)s perubahan level diterapkan.",
                "%(count)s perubahan level diterapkan.",
                count,
            )
        else:
            done = ngettext(
                "%(count)s angka bulanan disimpan.", "%(count)s angka bulanan disimpan.", count
            )
        self.stdout.write(self.style.SUCCESS(" ".join((summary, done % {"count": count}))))
