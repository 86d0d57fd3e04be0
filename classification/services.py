"""Every write that matters. Views, the admin and commands call these, never ``save()``."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from .models import ClassificationLevel, Kabupaten, Kampung, Kecamatan, LevelChange, Provinsi
from .regions import VillageRow, batched


def level_at(*, kampung: Kampung, on: datetime.date) -> str | None:
    """The official level code a kampung held on ``on``, from its history (None before any)."""
    return (
        LevelChange.objects.filter(kampung=kampung, effective_date__lte=on)
        .order_by("-effective_date", "-created_at", "-id")
        .values_list("level_to_id", flat=True)
        .first()
    )


@transaction.atomic
def kampung_set_level(
    *,
    kampung: Kampung,
    level: ClassificationLevel,
    effective_date: datetime.date,
    source: str,
    by=None,
    note: str = "",
) -> LevelChange:
    """Record a new official level and keep ``Kampung.official_level`` equal to the latest change.

    A back-dated change is inserted into the history at its date; the denormalised copy on the
    kampung always follows the change with the latest effective date.
    """
    # Lock the kampung row so two verifications of the same kampung cannot interleave.
    kampung = Kampung.objects.select_for_update().get(pk=kampung.pk)
    previous = level_at(kampung=kampung, on=effective_date)
    if previous == level.code:
        raise ValidationError(
            {"level": _("Kampung ini sudah berada di level %(level)s pada tanggal itu.")},
            params={"level": level.label},
        )
    change = LevelChange(
        kampung=kampung,
        level_from_id=previous,
        level_to=level,
        effective_date=effective_date,
        source=source,
        changed_by=by,
        note=note,
    )
    change.full_clean()
    change.save()
    latest = (
        LevelChange.objects.filter(kampung=kampung)
        .order_by("-effective_date", "-created_at", "-id")
        .values("level_to_id", "effective_date")
        .first()
    )
    Kampung.objects.filter(pk=kampung.pk).update(
        official_level_id=latest["level_to_id"],
        official_level_since=latest["effective_date"],
        version=F("version") + 1,
    )
    return change


@transaction.atomic
def regions_load(*, rows: list[VillageRow], batch_size: int = 2000, progress=None) -> int:
    """Insert or update the regions and one Kampung per village in ``rows``, all or nothing.

    Idempotent: loading the same rows again changes nothing; a renamed village is renamed.
    ``progress`` (a tqdm bar, say) is advanced by the number of villages written.
    """
    provinsi = {row.provinsi_kode: row.provinsi for row in rows}
    kabupaten = {row.kabupaten_kode: (row.kabupaten, row.provinsi_kode) for row in rows}
    kecamatan = {row.kecamatan_kode: (row.kecamatan, row.kabupaten_kode) for row in rows}
    Provinsi.objects.bulk_create(
        [Provinsi(kode=kode, nama=nama) for kode, nama in provinsi.items()],
        update_conflicts=True,
        unique_fields=["kode"],
        update_fields=["nama"],
    )
    Kabupaten.objects.bulk_create(
        [Kabupaten(kode=kode, nama=nama, provinsi_id=p) for kode, (nama, p) in kabupaten.items()],
        update_conflicts=True,
        unique_fields=["kode"],
        update_fields=["nama"],
    )
    Kecamatan.objects.bulk_create(
        [Kecamatan(kode=kode, nama=nama, kabupaten_id=k) for kode, (nama, k) in kecamatan.items()],
        batch_size=batch_size,
        update_conflicts=True,
        unique_fields=["kode"],
        update_fields=["nama"],
    )
    for batch in batched(rows, batch_size):
        Kampung.objects.bulk_create(
            [
                Kampung(
                    desa_kode=row.kode,
                    desa_nama=row.nama,
                    jenis=row.jenis,
                    kecamatan_id=row.kecamatan_kode,
                )
                for row in batch
            ],
            update_conflicts=True,
            unique_fields=["desa_kode"],
            update_fields=["desa_nama", "jenis"],
        )
        if progress is not None:
            progress.update(len(batch))
    return len(rows)
