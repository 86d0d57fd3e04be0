from django.db import migrations

# Colours from a colour-blind-safe ramp; the top level is "Paripurna" in Tanah Laut and
# "Berkelanjutan" in BKKBN formats (domain.md §2).
LEVELS = [
    ("dasar", 1, "Dasar", "#d7301f", "dasar"),
    ("berkembang", 2, "Berkembang", "#fdae61", "berkembang"),
    ("mandiri", 3, "Mandiri", "#66bd63", "mandiri"),
    ("paripurna", 4, "Paripurna", "#1a7837", "berkelanjutan"),
]


def seed_levels(apps, schema_editor):
    ClassificationLevel = apps.get_model("classification", "ClassificationLevel")
    for code, rank, label, colour, bkkbn_code in LEVELS:
        ClassificationLevel.objects.update_or_create(
            code=code,
            defaults={"rank": rank, "label": label, "colour": colour, "bkkbn_code": bkkbn_code},
        )


class Migration(migrations.Migration):
    dependencies = [("classification", "0001_initial")]

    operations = [migrations.RunPython(seed_levels, migrations.RunPython.noop)]
