"""``manage.py load_demo``: the Tanah Laut demo (regions, levels, records and demo users)."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from classification.demo.baseline import (
    DEMO_KABUPATEN,
    DEMO_PASSWORD,
    create_demo_users,
    demo_levels,
    load_baseline,
    load_boundaries,
)
from classification.demo.records import load_records


class Command(BaseCommand):
    help = (
        "Muat demo Tanah Laut: wilayah dan batas desa asli, level per kampung ilustratif "
        "(93/25/3/14 per 31 Juli 2025), data kampung demo (profil, angka, kegiatan) dan "
        "pengguna demo. Aman diulang."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-users", action="store_true", help="Jangan buat pengguna demo (untuk DEBUG=0)."
        )

    def handle(self, *args, no_users, **options):
        # Demo accounts share a published password: never on a production site.
        if not no_users and not settings.DEBUG:
            raise CommandError(
                _(
                    "Pengguna demo hanya dibuat bila DEBUG aktif. "
                    "Pakai --no-users untuk memuat data saja."
                )
            )
        call_command("load_region", DEMO_KABUPATEN, verbosity=options["verbosity"])
        boundaries = load_boundaries()
        baseline = load_baseline(demo_levels())
        self.stdout.write(
            _("%(boundaries)s batas desa, %(levels)s level awal baru dicatat.")
            % {"boundaries": boundaries, "levels": baseline}
        )
        records = load_records()
        self.stdout.write(
            ngettext(
                "Data demo (profil, angka 3 bulan, kegiatan, program tematik) untuk %(count)s "
                "kampung baru; level estimasi dihitung dengan aturan skor.",
                "Data demo (profil, angka 3 bulan, kegiatan, program tematik) untuk %(count)s "
                "kampung baru; level estimasi dihitung dengan aturan skor.",
                records,
            )
            % {"count": records}
        )
        if not no_users:
            names = create_demo_users()
            self.stdout.write(
                _("Pengguna demo: %(names)s (sandi %(password)s).")
                % {"names": ", ".join(names), "password": DEMO_PASSWORD}
            )
        self.stdout.write(self.style.SUCCESS(_("Demo Tanah Laut siap.")))
