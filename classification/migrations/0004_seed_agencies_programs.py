from django.db import migrations

# Common partners of a Kampung KB; the KB office and BKKBN itself are not cross-sector (P3).
AGENCIES = [
    ("Dinas Kesehatan", True),
    ("Puskesmas", True),
    ("DP3A (Dinas Pemberdayaan Perempuan dan Perlindungan Anak)", True),
    ("Dukcapil", True),
    ("Dinas Pendidikan", True),
    ("Dinas Sosial", True),
    ("Kemenag / KUA", True),
    ("BNN", True),
    ("Dinas PMD", True),
    ("Dinas Pertanian", True),
    ("Dinas Koperasi dan UMKM", True),
    ("Dinas Lingkungan Hidup", True),
    ("Pemerintah Desa", True),
    ("TP PKK", True),
    ("Babinsa / Bhabinkamtibmas", True),
    ("OPD KB (Dinas Pengendalian Penduduk dan KB)", False),
    ("BKKBN / Perwakilan BKKBN Provinsi", False),
]
PROGRAMS = [
    ("Kampung Bersinar", "BNN", "Desa/Kelurahan Bersih Narkoba."),
    (
        "Desa Ramah Perempuan dan Peduli Anak",
        "KemenPPPA",
        "DRPPA, dengan 10 indikator dari KemenPPPA.",
    ),
    ("Kampung Pemuda", "Pemerintah daerah", "Program kepemudaan setempat."),
]


def seed(apps, schema_editor):
    Agency = apps.get_model("classification", "Agency")
    ThematicProgram = apps.get_model("classification", "ThematicProgram")
    for name, counts in AGENCIES:
        Agency.objects.get_or_create(name=name, defaults={"counts_for_cross_sector": counts})
    for name, owner, description in PROGRAMS:
        ThematicProgram.objects.get_or_create(
            name=name, defaults={"owner": owner, "description": description}
        )


class Migration(migrations.Migration):
    dependencies = [("classification", "0003_kampung_records")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
