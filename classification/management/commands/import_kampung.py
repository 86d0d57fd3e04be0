from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
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
            raise CommandError(f"Pengguna {user!r} tidak ada.") from exc
        if not person.is_active or not can_manage_district(person):
            raise CommandError(f"Pengguna {user!r} bukan staf DP3A: tidak boleh mengimpor.")
        quiet = options["verbosity"] == 0
        try:
            handle = file.open("rb")
        except OSError as exc:
            raise CommandError(f"Berkas {file} tidak dapat dibuka: {exc.strerror}.") from exc
        with (
            handle,
            tqdm(unit="baris", desc="Memeriksa", disable=quiet, file=self.stderr._out) as bar,
        ):
            plan = import_parse(
                handle, name=file.name, kind=kind, user=person, limit_rows=False, progress=bar
            )
        if plan.encoding_note:
            self.stderr.write(self.style.WARNING(plan.encoding_note))
        for error in plan.errors:
            self.stderr.write(str(error))
        if plan.hidden_error_count:
            self.stderr.write(f"… dan {plan.hidden_error_count} kesalahan lain.")
        summary = (
            f"{plan.row_count} baris: {len(plan.changes)} berubah, "
            f"{len(plan.unchanged)} sudah sesuai, {plan.error_count} kesalahan."
        )
        if not plan.ok:
            raise CommandError(f"{summary} Tidak ada yang disimpan.")
        if dry_run:
            self.stdout.write(f"{summary} Uji coba (--dry-run): tidak ada yang disimpan.")
            return
        with tqdm(
            total=len(plan.changes),
            unit="baris",
            desc="Menyimpan",
            disable=quiet,
            file=self.stderr._out,
        ) as bar:
            try:
                count = import_apply(plan=plan, by=person, progress=bar)
            except ValidationError as exc:
                raise CommandError("Tidak ada yang disimpan: " + " ".join(exc.messages)) from exc
        done = (
            "perubahan level diterapkan" if kind == ImportKind.LEVELS else "angka bulanan disimpan"
        )
        self.stdout.write(self.style.SUCCESS(f"{summary} {count} {done}."))
