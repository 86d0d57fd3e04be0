"""``manage.py load_region``: load regions and one kampung per desa from the region file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from classification.imports.regions import REGION_FILE, RegionFileError, read_villages
from classification.services.regions import regions_load


class Command(BaseCommand):
    help = (
        "Muat provinsi/kabupaten, kecamatan dan satu Kampung KB per desa/kelurahan dari berkas "
        "wilayah Kemendagri. Aman diulang: data yang sama tidak digandakan."
    )

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="Kode provinsi (63) atau kabupaten (63.01).")
        parser.add_argument("--all", action="store_true", help="Muat seluruh Indonesia.")
        parser.add_argument("--file", type=Path, default=REGION_FILE, help="Berkas CSV(.gz).")

    def handle(self, *args, codes, all, file, **options):
        if all == bool(codes):
            raise CommandError(_("Sebutkan kode wilayah, atau --all untuk seluruh Indonesia."))
        try:
            rows = read_villages(file, None if all else codes)
        except RegionFileError as exc:
            raise CommandError(str(exc)) from exc
        with tqdm(
            total=len(rows),
            unit="desa",
            desc=_("Memuat wilayah"),
            disable=options["verbosity"] == 0,
            file=self.stderr._out,
        ) as bar:
            count = regions_load(rows=rows, progress=bar)
        loaded = ngettext(
            "%(count)s desa/kelurahan dimuat.", "%(count)s desa/kelurahan dimuat.", count
        )
        self.stdout.write(self.style.SUCCESS(loaded % {"count": count}))
