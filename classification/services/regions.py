"""Loading provinsi, kabupaten, kecamatan and one Kampung per village, all or nothing."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Protocol, TypeVar

from django.db import transaction

from ..models import (
    Kabupaten,
    Kampung,
    Kecamatan,
    Provinsi,
)

if TYPE_CHECKING:
    from ..imports.regions import VillageRow


class _Progress(Protocol):
    """What ``regions_load`` needs of a progress bar (a tqdm bar, say)."""

    def update(self, n: int, /) -> object: ...


@transaction.atomic
def regions_load(
    *, rows: list[VillageRow], batch_size: int = 2000, progress: _Progress | None = None
) -> int:
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


_T = TypeVar("_T")


def batched(items: Sequence[_T], size: int) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
