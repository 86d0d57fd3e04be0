"""Demo kegiatan: the templates and the drawing of a kampung's activities."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from ..models import (
    Activity,
    Agency,
    Kampung,
    KampungProgram,
    ThematicProgram,
)
from .baseline import DEMO_NOTE

# Activities spread over the year before loading.
ACTIVITY_DAYS = 360


KB_OFFICE = "OPD KB (Dinas Pengendalian Penduduk dan KB)"


DP3A = "DP3A (Dinas Pemberdayaan Perempuan dan Perlindungan Anak)"


@dataclass(frozen=True)
class _ActivityTemplate:
    title: str
    category: str
    target_groups: tuple[str, ...]
    agencies: tuple[str, ...]
    program: str | None = None


_ACTIVITIES = (
    _ActivityTemplate(
        "Pelayanan KB dan pemeriksaan kesehatan reproduksi",
        Activity.Category.REPRODUKSI,
        ("pus",),
        ("Puskesmas", "Dinas Kesehatan"),
    ),
    _ActivityTemplate(
        "Penyuluhan 1000 Hari Pertama Kehidupan dan pencegahan stunting",
        Activity.Category.PENDIDIKAN,
        ("balita", "pus"),
        ("Puskesmas", "TP PKK", "Pemerintah Desa"),
    ),
    _ActivityTemplate(
        "Pertemuan BKB: pengasuhan balita",
        Activity.Category.PENDIDIKAN,
        ("balita",),
        ("TP PKK", "Dinas Pendidikan"),
    ),
    _ActivityTemplate(
        "Pertemuan BKR dan konseling remaja",
        Activity.Category.PENDIDIKAN,
        ("remaja",),
        ("Puskesmas", "Dinas Pendidikan", "Kemenag / KUA"),
    ),
    _ActivityTemplate(
        "Senam dan pemeriksaan kesehatan lansia (BKL)",
        Activity.Category.CINTA_KASIH,
        ("lansia",),
        ("Puskesmas", "Dinas Sosial"),
    ),
    _ActivityTemplate(
        "Pelatihan usaha UPPKA: olahan hasil kebun",
        Activity.Category.EKONOMI,
        ("keluarga",),
        ("Dinas Koperasi dan UMKM", "Dinas Pertanian"),
    ),
    _ActivityTemplate(
        "Bimbingan perkawinan dan ketahanan keluarga",
        Activity.Category.KEAGAMAAN,
        ("remaja", "pus"),
        ("Kemenag / KUA",),
    ),
    _ActivityTemplate(
        "Pelayanan administrasi kependudukan keliling",
        Activity.Category.LAINNYA,
        ("keluarga",),
        ("Dukcapil", "Pemerintah Desa"),
    ),
    _ActivityTemplate(
        "Gotong royong kebersihan lingkungan dan jamban sehat",
        Activity.Category.LINGKUNGAN,
        ("keluarga",),
        ("Dinas Lingkungan Hidup", "Pemerintah Desa", "Babinsa / Bhabinkamtibmas"),
    ),
    _ActivityTemplate(
        "Pekarangan pangan lestari",
        Activity.Category.EKONOMI,
        ("keluarga",),
        ("Dinas Pertanian", "TP PKK"),
    ),
    _ActivityTemplate(
        "Musyawarah desa: usulan kegiatan Kampung KB",
        Activity.Category.LAINNYA,
        ("keluarga",),
        ("Pemerintah Desa", "Dinas PMD"),
    ),
    _ActivityTemplate(
        "Rapat koordinasi Pokja Kampung KB",
        Activity.Category.LAINNYA,
        ("keluarga",),
        (KB_OFFICE,),
    ),
    _ActivityTemplate(
        "Penyuluhan bahaya narkoba bagi remaja",
        Activity.Category.PERLINDUNGAN,
        ("remaja",),
        ("BNN", "Babinsa / Bhabinkamtibmas"),
        "Kampung Bersinar",
    ),
    _ActivityTemplate(
        "Tes urine dan deklarasi desa bersih narkoba",
        Activity.Category.PERLINDUNGAN,
        ("remaja", "keluarga"),
        ("BNN", "Puskesmas"),
        "Kampung Bersinar",
    ),
    _ActivityTemplate(
        "Sosialisasi pencegahan kekerasan terhadap perempuan dan anak",
        Activity.Category.PERLINDUNGAN,
        ("perempuan",),
        (DP3A, "Dinas Sosial"),
        "Desa Ramah Perempuan dan Peduli Anak",
    ),
    _ActivityTemplate(
        "Forum anak desa",
        Activity.Category.SOSIAL_BUDAYA,
        ("remaja", "perempuan"),
        (DP3A, "Pemerintah Desa"),
        "Desa Ramah Perempuan dan Peduli Anak",
    ),
    _ActivityTemplate(
        "Kegiatan pemuda: olahraga dan kewirausahaan",
        Activity.Category.SOSIAL_BUDAYA,
        ("remaja",),
        ("Dinas Koperasi dan UMKM", "Pemerintah Desa"),
        "Kampung Pemuda",
    ),
)


def draw_activities(
    rng: random.Random,
    kampung: Kampung,
    *,
    strong: bool,
    tags: dict[str, KampungProgram],
    agencies: dict[str, Agency],
    programs: dict[str, ThematicProgram],
    today: datetime.date,
) -> list[tuple[Activity, list[Agency]]]:
    general = [template for template in _ACTIVITIES if template.program is None]
    chosen = rng.sample(general, rng.randint(6, 10) if strong else rng.randint(2, 5))
    for name, tag in tags.items():
        if tag.status != KampungProgram.Status.BERHENTI and rng.random() < 0.7:
            chosen.append(rng.choice([t for t in _ACTIVITIES if t.program == name]))
    places = (
        f"Balai Desa {kampung.desa_nama}"
        if kampung.jenis == Kampung.Jenis.DESA
        else f"Kantor Kelurahan {kampung.desa_nama}",
        f"Posyandu {kampung.desa_nama}",
        f"Sekretariat Kampung KB {kampung.desa_nama}",
    )
    records = []
    for template in chosen:
        date = today - datetime.timedelta(days=rng.randint(0, ACTIVITY_DAYS))
        tag = tags.get(template.program or "")
        if tag is not None:
            date = max(date, tag.since)
        pool = [agencies[name] for name in template.agencies if name in agencies]
        partners = rng.sample(pool, rng.randint(1, len(pool)) if strong else 1) if pool else []
        if KB_OFFICE in agencies and agencies[KB_OFFICE] not in partners and rng.random() < 0.35:
            partners.append(agencies[KB_OFFICE])
        activity = Activity(
            kampung=kampung,
            date=date,
            title=f"{template.title} (demo)",
            place=rng.choice(places),
            description=DEMO_NOTE,
            category=template.category,
            target_groups=list(template.target_groups),
            program=programs[template.program] if tag is not None else None,
            is_demo=True,
        )
        records.append((activity, partners))
    return records
