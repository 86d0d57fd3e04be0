"""The Tanah Laut demo: real regions and boundaries, illustrative per-kampung levels, demo users.

Only the district totals (93 dasar, 25 berkembang, 3 mandiri, 14 paripurna on 31 July 2025) were
published; which kampung holds which level is made up, deterministically, in
fixtures/demo_levels.csv, and every page of a district loaded this way says so.

``load_records`` adds made-up Kampung KB records (profile, three months of figures, activities,
thematic programme tags), all marked ``is_demo``; the estimated level then comes out of the
scoring rule (``services.kampung_refresh_estimate``), never typed in.
"""

from __future__ import annotations

import csv
import datetime
import json
import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import shapely
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from shapely.geometry import mapping, shape

from .models import (
    Activity,
    Agency,
    ClassificationLevel,
    Frequency,
    Kabupaten,
    Kampung,
    KampungFigures,
    KampungProfile,
    KampungProgram,
    LevelChange,
    PokjaMembership,
    RegionScope,
    TargetPolicy,
    ThematicProgram,
)
from .permissions import BKKBN_GROUP, DP3A_GROUP
from .rules.levels import Level
from .rules.scoring import group_indices, score_indicators
from .rules.vocabularies import CONTRACEPTIVE_METHODS, POKTAN
from .selectors.records import inputs_from_records
from .services.levels import kampung_set_level
from .services.records import kampung_program_save, kampung_refresh_estimate

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DEMO_KABUPATEN = "63.01"
DEMO_PROVINSI = "63"
BASELINE_DATE = datetime.date(2025, 7, 31)
DEMO_PASSWORD = "kampungkb-demo"
DEMO_POKJA_KAMPUNG = "63.01.01.2002"  # Tabanio, Takisung: berkembang in the demo baseline
BASELINE_NOTE = "Data demo ilustratif: hanya total kabupaten per 31 Juli 2025 yang dipublikasikan."


# The polygons are only ever drawn on the dashboard map, where Tanah Laut (~0.9° by 0.7°) fills
# ~500-900 px, so one pixel is ~0.001-0.002°. Points within 0.0005° (≈ 55 m, under half a pixel)
# of the simplified outline, and digits finer than ~11 m, cannot show; left in, they made up more
# than half of the dashboard's HTML.
DISPLAY_TOLERANCE = 0.0005
DISPLAY_GRID = 0.0001


def simplify_for_display(geometry: dict) -> dict:
    """A GeoJSON (Multi)Polygon with fewer points and 4-decimal coordinates, still valid.

    Each desa is simplified on its own, so neighbours may no longer share every vertex: at a
    sub-pixel tolerance the hairline gaps this can leave are invisible, and the source does not
    form a clean coverage anyway (neighbouring desa already miss each other's vertices), which
    shapely's topology-aware ``coverage_simplify`` needs to do its job.
    """
    source = shape(geometry)
    # preserve_topology keeps rings from crossing or collapsing; set_precision snaps to the grid
    # and repairs whatever snapping would break, where plain rounding could leave a bow-tie.
    simplified = shapely.set_precision(
        shapely.simplify(source, DISPLAY_TOLERANCE, preserve_topology=True), DISPLAY_GRID
    )
    if simplified.is_empty or simplified.geom_type not in {"Polygon", "MultiPolygon"}:
        return geometry  # a desa smaller than the grid: keep it as drawn rather than lose it
    return mapping(simplified)


def load_boundaries(path: Path = FIXTURES / "tanah_laut_desa.geojson") -> int:
    """Attach each desa's polygon (simplified for display) and centroid to its kampung.

    Joined on code, never on name.
    """
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    by_code = {feature["properties"]["kode"]: feature for feature in features}
    kampung = list(Kampung.objects.filter(desa_kode__in=by_code))
    for item in kampung:
        feature = by_code[item.desa_kode]
        item.boundary = simplify_for_display(feature["geometry"])
        item.latitude = round(Decimal(str(feature["properties"]["lat"])), 5)
        item.longitude = round(Decimal(str(feature["properties"]["lng"])), 5)
    Kampung.objects.bulk_update(kampung, ["boundary", "latitude", "longitude"], batch_size=500)
    return len(kampung)


def demo_levels(path: Path = FIXTURES / "demo_levels.csv") -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["kode"]: row["level"] for row in csv.DictReader(handle)}


@transaction.atomic
def load_baseline(levels_by_code: dict[str, str]) -> int:
    """Record the illustrative baseline as ``baseline`` LevelChanges, once per kampung."""
    levels = {level.code: level for level in ClassificationLevel.objects.all()}
    already = set(
        LevelChange.objects.filter(
            source=LevelChange.Source.BASELINE, kampung__desa_kode__in=levels_by_code
        ).values_list("kampung__desa_kode", flat=True)
    )
    created = 0
    for kampung in Kampung.objects.filter(desa_kode__in=levels_by_code.keys() - already):
        kampung_set_level(
            kampung=kampung,
            level=levels[levels_by_code[kampung.desa_kode]],
            effective_date=BASELINE_DATE,
            source=LevelChange.Source.BASELINE,
            note=BASELINE_NOTE,
        )
        created += 1
    Kabupaten.objects.filter(kode=DEMO_KABUPATEN).update(demo_levels=True)
    TargetPolicy.objects.get_or_create(
        kabupaten_id=DEMO_KABUPATEN, defaults={"baseline_date": BASELINE_DATE}
    )
    return created


@transaction.atomic
def create_demo_users() -> list[str]:
    """dp3a.demo, bkkbn.demo and pokja.demo with the documented password (DEBUG only)."""
    dp3a, _ = Group.objects.get_or_create(name=DP3A_GROUP)
    bkkbn, _ = Group.objects.get_or_create(name=BKKBN_GROUP)
    users = []
    for username, first_name in (
        ("dp3a.demo", "Staf DP3A"),
        ("bkkbn.demo", "Peninjau BKKBN"),
        ("pokja.demo", "Pokja Tabanio"),
    ):
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": first_name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        users.append(user)
    dp3a_user, bkkbn_user, pokja_user = users
    dp3a_user.groups.add(dp3a)
    bkkbn_user.groups.add(bkkbn)
    RegionScope.objects.get_or_create(user=dp3a_user, kabupaten_id=DEMO_KABUPATEN)
    RegionScope.objects.get_or_create(user=bkkbn_user, provinsi_id=DEMO_PROVINSI)
    PokjaMembership.objects.get_or_create(
        user=pokja_user,
        kampung=Kampung.objects.get(desa_kode=DEMO_POKJA_KAMPUNG),
        defaults={"jabatan": PokjaMembership.Jabatan.KETUA},
    )
    return [user.username for user in users]


# --------------------------------------------------------------------------------------------
# Demo records: profile, figures, activities and thematic tags, all made up
# --------------------------------------------------------------------------------------------

RECORDS_SEED = "kampungkb-demo-records"
DEMO_NOTE = "Data demo ilustratif, bukan laporan Pokja."
FIGURE_MONTHS = 3
# Activities spread over the year before loading.
ACTIVITY_DAYS = 360
DEMO_PROGRAMS = ("Kampung Bersinar", "Desa Ramah Perempuan dan Peduli Anak", "Kampung Pemuda")
KB_OFFICE = "OPD KB (Dinas Pengendalian Penduduk dan KB)"
DP3A = "DP3A (Dinas Pemberdayaan Perempuan dan Perlindungan Anak)"

# Per official level, how many kampung get records that estimate another level: a handful above
# (the "candidates to verify"), a few below; all others are drawn to agree with the official one.
_DRIFTS: dict[str, tuple[tuple[int, Level], ...]] = {
    "dasar": ((5, Level.MANDIRI),),
    "berkembang": ((2, Level.PARIPURNA), (2, Level.DASAR)),
    "mandiri": ((1, Level.BERKEMBANG),),
    "paripurna": ((1, Level.MANDIRI),),
}
# Which groups (input, proses, output) the records meet for each estimate (domain.md §2).
_GROUP_SHAPES: dict[Level, tuple[tuple[float, tuple[bool, bool, bool]], ...]] = {
    Level.DASAR: (
        (0.45, (False, False, False)),
        (0.75, (True, False, False)),
        (0.85, (False, True, False)),
        (1.0, (False, False, True)),
    ),
    Level.BERKEMBANG: ((1.0, (True, True, False)),),
    Level.MANDIRI: ((0.7, (True, False, True)), (1.0, (False, True, True))),
    Level.PARIPURNA: ((1.0, (True, True, True)),),
}
# Records are redrawn until the rule gives the intended shape; after this many, the last draw
# stays whatever the rule makes of it.
_MAX_DRAWS = 80

# Most common first: nearly every Kampung KB has Dana Desa and BKB, few have CSR or PIK-R.
_FUNDING_ORDER = ("dana_desa", "apbd", "swadaya", "apbn", "hibah", "csr")
_POKTAN_ORDER = ("bkb", "uppka", "bkr", "bkl", "pikr")
_DATA_SOURCE_ORDER = ("pk", "rutin_bkkbn", "potensi_desa", "sektoral", "lainnya")
_MECHANISM_FREQUENCIES = {
    "laporan": (Frequency.BULANAN, Frequency.TRIWULANAN),
    "rapat_perencanaan": (Frequency.TAHUNAN, Frequency.SEMESTERAN),
    "sosialisasi": (Frequency.BULANAN, Frequency.TRIWULANAN),
    "monev": (Frequency.TRIWULANAN, Frequency.SEMESTERAN),
    "rakor_opd": (Frequency.SEMESTERAN, Frequency.TAHUNAN),
}


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


@dataclass
class Records:
    kampung: Kampung
    profile: KampungProfile
    figures: list[KampungFigures]
    activities: list[tuple[Activity, list[Agency]]]
    tags: list[KampungProgram] = field(default_factory=list)


def _pick(rng: random.Random, table):
    draw = rng.random()
    return next(value for threshold, value in table if draw < threshold)


def _some(rng: random.Random, order: tuple[str, ...], count: int) -> list[str]:
    """``count`` codes of ``order``, mostly the common (early) ones, in vocabulary order."""
    chosen = set(sorted(order, key=lambda code: order.index(code) + rng.uniform(0, 2.5))[:count])
    return [code for code in order if code in chosen]


def _split(total: int, weights: list[float]) -> list[int]:
    """``total`` shared out in proportion to ``weights``; the parts add up to ``total`` exactly."""
    exact = [total * weight / sum(weights) for weight in weights]
    parts = [int(value) for value in exact]
    by_remainder = sorted(range(len(parts)), key=lambda i: parts[i] - exact[i])
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _month_start(day: datetime.date, months_back: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)


def _profile(
    rng: random.Random, kampung: Kampung, *, input_strong: bool, proses_strong: bool
) -> KampungProfile:
    pokja = input_strong or rng.random() < 0.85
    members = rng.randint(11, 25) if pokja else 0  # Ketua, Sekretaris, Bendahara and 8 seksi
    trained = (
        rng.randint(2, members // 2)
        if pokja and rng.random() < (0.9 if input_strong else 0.35)
        else 0
    )
    sk_date = datetime.date(rng.randint(2017, 2024), rng.randint(1, 12), rng.randint(1, 28))
    held = _some(
        rng,
        tuple(_MECHANISM_FREQUENCIES),
        rng.choice((3, 4, 4, 5) if proses_strong else (0, 1, 2, 2, 3)),
    )
    has_pendamping = rng.random() < (0.95 if input_strong else 0.6)
    has_regulation = rng.random() < (0.8 if input_strong else 0.2)
    has_rkm = rng.random() < (0.8 if input_strong else 0.25)
    return KampungProfile(
        kampung=kampung,
        pokja_exists=pokja,
        pokja_sk_nomor=f"{rng.randint(1, 60)}/SK-KKB/{sk_date.year} (demo)" if pokja else "",
        pokja_sk_tanggal=sk_date if pokja else None,
        pokja_members=members,
        pokja_members_trained=trained,
        funding_sources=_some(
            rng, _FUNDING_ORDER, rng.choice((2, 3, 3, 4, 5) if input_strong else (0, 1, 1, 2))
        ),
        poktan_present=_some(
            rng, _POKTAN_ORDER, rng.choice((3, 4, 5, 5) if input_strong else (0, 1, 2, 2, 3))
        ),
        has_sekretariat=rng.random() < (0.9 if input_strong else 0.45),
        has_rumah_dataku=rng.random() < (0.7 if input_strong else 0.15),
        has_pendamping=has_pendamping,
        pendamping_nama=f"PKB Kecamatan {kampung.kecamatan.nama} (demo)" if has_pendamping else "",
        has_regulation=has_regulation,
        regulation_note="SK Kepala Desa tentang Kampung KB (demo)" if has_regulation else "",
        has_rkm=has_rkm,
        rkm_note=DEMO_NOTE if has_rkm else "",
        data_sources=_some(
            rng, _DATA_SOURCE_ORDER, rng.choice((2, 3, 3, 4, 5) if proses_strong else (0, 1, 1, 2))
        ),
        mechanisms={
            code: (rng.choice(frequencies) if code in held else Frequency.TIDAK).value
            for code, frequencies in _MECHANISM_FREQUENCIES.items()
        },
        is_demo=True,
    )


def _figures(
    rng: random.Random, kampung: Kampung, *, strong: bool, poktan: list[str], today: datetime.date
) -> list[KampungFigures]:
    """Three months of figures, oldest first, improving a little month by month."""
    if kampung.jenis == Kampung.Jenis.KELURAHAN:
        families = rng.randint(900, 2600)
    else:
        families = rng.randint(180, 1400)
    growth = rng.randint(0, 3)
    pus_share = rng.uniform(0.55, 0.68)
    group_shares = {
        "remaja": rng.uniform(0.45, 0.7),
        "families_with_balita": rng.uniform(0.22, 0.35),
        "families_with_remaja": rng.uniform(0.3, 0.45),
        "families_with_lansia": rng.uniform(0.18, 0.32),
    }
    low, high = (0.22, 0.6) if strong else (0.02, 0.25)
    participation = {code: rng.uniform(low, high) for code in POKTAN}
    cpr = rng.uniform(0.56, 0.74) if strong else rng.uniform(0.42, 0.66)
    mkjp = rng.uniform(0.21, 0.34) if strong else rng.uniform(0.06, 0.23)
    unmet = rng.uniform(0.03, 0.08) if strong else rng.uniform(0.07, 0.17)
    # Tanah Laut, like most of Kalimantan Selatan, relies on suntik and pil; implan leads MKJP.
    method_weights = {
        "iud": rng.uniform(0.2, 0.35),
        "mow": rng.uniform(0.05, 0.15),
        "mop": rng.uniform(0.0, 0.02),
        "implan": rng.uniform(0.5, 0.7),
        "kondom": rng.uniform(0.03, 0.08),
        "suntik": rng.uniform(0.5, 0.65),
        "pil": rng.uniform(0.3, 0.4),
    }
    long_term = ("iud", "mow", "mop", "implan")
    short_term = ("kondom", "suntik", "pil")
    months = []
    for back in range(FIGURE_MONTHS - 1, -1, -1):
        drift = 1 - 0.03 * back
        total = families - growth * back
        pus = round(total * pus_share)
        groups = {name: round(total * share) for name, share in group_shares.items()}
        targets = {
            "bkb": groups["families_with_balita"],
            "bkr": groups["families_with_remaja"],
            "bkl": groups["families_with_lansia"],
            "uppka": total,
            "pikr": groups["remaja"],
        }
        participants = {
            f"participants_{code}": (
                min(target, round(target * participation[code] * drift)) if code in poktan else 0
            )
            for code, target in targets.items()
        }
        users = min(pus, round(pus * cpr * drift))
        users_long = round(users * mkjp)
        by_method = dict(
            zip(long_term, _split(users_long, [method_weights[m] for m in long_term]), strict=True)
        )
        by_method.update(
            zip(
                short_term,
                _split(users - users_long, [method_weights[m] for m in short_term]),
                strict=True,
            )
        )
        non_users = pus - users
        unmet_count = min(non_users, round(pus * unmet * (2 - drift)))
        tunda, tidak_lagi = _split(unmet_count, [0.45, 0.55])
        hamil, segera = _split(non_users - unmet_count, [0.4, 0.6])
        months.append(
            KampungFigures(
                kampung=kampung,
                period=_month_start(today, back),
                families=total,
                pus=pus,
                **groups,
                **participants,
                **{f"users_{method}": by_method[method] for method in CONTRACEPTIVE_METHODS},
                not_using_hamil=hamil,
                not_using_ingin_anak_segera=segera,
                not_using_ingin_anak_tunda=tunda,
                not_using_tidak_ingin_anak_lagi=tidak_lagi,
                is_demo=True,
            )
        )
    return months


def _activities(
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


def _tags(
    rng: random.Random,
    kampung: Kampung,
    *,
    rank: int,
    programs: dict[str, ThematicProgram],
    today: datetime.date,
) -> dict[str, KampungProgram]:
    """Thematic programme tags: more often the higher the kampung's official level."""
    first = datetime.date(2021, 1, 1)
    latest = today - datetime.timedelta(days=60)
    tags = {}
    for name, program in programs.items():
        if rng.random() >= 0.1 + 0.12 * (rank - 1):
            continue
        draw = rng.random()
        tags[name] = KampungProgram(
            kampung=kampung,
            program=program,
            since=first + datetime.timedelta(days=rng.randint(0, max(0, (latest - first).days))),
            status=(
                KampungProgram.Status.RINTISAN
                if draw < 0.15
                else KampungProgram.Status.BERHENTI
                if draw < 0.22
                else KampungProgram.Status.AKTIF
            ),
        )
    return tags


def cross_sector_count(activities: list[tuple[Activity, list[Agency]]]) -> int:
    """P3 as selectors.cross_sector_agency_count will count it once the rows are saved."""
    return len(
        {
            agency.pk
            for _activity, partners in activities
            for agency in partners
            if agency.counts_for_cross_sector
        }
    )


def _estimate_targets(kampung: list[Kampung]) -> dict[str, Level]:
    """The estimate each kampung's records are drawn to give (``_DRIFTS``), by kampung code."""
    targets: dict[str, Level] = {}
    by_level: dict[str, list[str]] = {}
    for item in kampung:
        official = item.official_level_id or Level.DASAR.value
        targets[item.desa_kode] = Level(official)
        by_level.setdefault(official, []).append(item.desa_kode)
    for official, codes in by_level.items():
        codes.sort(key=lambda code: random.Random(f"{RECORDS_SEED}:drift:{code}").random())
        start = 0
        for count, level in _DRIFTS.get(official, ()):
            for code in codes[start : start + count]:
                targets[code] = level
            start += count
    return targets


def _records_for(
    kampung: Kampung,
    *,
    target: Level,
    agencies: dict[str, Agency],
    programs: dict[str, ThematicProgram],
    today: datetime.date,
) -> Records:
    """Draw one kampung's records, deterministically from its code.

    Records are redrawn until the scoring rule meets the intended groups; the level itself is
    left to the rule (``kampung_refresh_estimate`` after saving).
    """
    return draw_records(
        kampung,
        rng=random.Random(f"{RECORDS_SEED}:{kampung.desa_kode}"),
        target=target,
        agencies=agencies,
        programs=programs,
        today=today,
    )


def draw_records(
    kampung: Kampung,
    *,
    rng: random.Random,
    target: Level,
    agencies: dict[str, Agency],
    programs: dict[str, ThematicProgram],
    today: datetime.date,
    max_draws: int = _MAX_DRAWS,
) -> Records:
    """Unsaved records for ``kampung`` whose groups met are a shape the ``target`` level has.

    Redrawn up to ``max_draws`` times until the scoring rule meets those groups; with one draw
    the estimate may land above or below ``target``, as real records do (the benchmark's data).
    """
    official = Level(kampung.official_level_id or Level.DASAR.value)
    shape = _pick(rng, _GROUP_SHAPES[target])
    input_strong, proses_strong, output_strong = shape
    tags = _tags(rng, kampung, rank=official.rank, programs=programs, today=today)
    for _attempt in range(max_draws):
        profile = _profile(rng, kampung, input_strong=input_strong, proses_strong=proses_strong)
        figures = _figures(
            rng, kampung, strong=output_strong, poktan=profile.poktan_present, today=today
        )
        activities = _activities(
            rng,
            kampung,
            strong=proses_strong,
            tags=tags,
            agencies=agencies,
            programs=programs,
            today=today,
        )
        inputs = inputs_from_records(profile, figures[-1], cross_sector_count(activities))
        indices = group_indices(score_indicators(inputs))
        if (indices.input_met, indices.proses_met, indices.output_met) == shape:
            break
    return Records(kampung, profile, figures, activities, list(tags.values()))


@transaction.atomic
def load_records(today: datetime.date | None = None) -> int:
    """Give each Tanah Laut kampung without records a demo profile, figures, activities and tags.

    Figures cover the last three months up to ``today``'s, activities the last year. Kampung
    that already hold a profile, figures or activities (demo, or entered by a Pokja) are
    skipped, so loading twice adds nothing and demo data never shadows real data. Rows are
    bulk-created, then each kampung's estimate is refreshed once by the scoring rule. Returns
    the number of kampung given records.
    """
    today = today or timezone.localdate()
    kampung = list(
        Kampung.objects.in_kabupaten(DEMO_KABUPATEN)
        .filter(
            ~Exists(KampungProfile.objects.filter(kampung=OuterRef("pk"))),
            ~Exists(KampungFigures.objects.filter(kampung=OuterRef("pk"))),
            ~Exists(Activity.objects.filter(kampung=OuterRef("pk"))),
        )
        .select_related("kecamatan")
        .defer("boundary")
        .order_by("desa_kode")
    )
    if not kampung:
        return 0
    agencies = {agency.name: agency for agency in Agency.objects.all()}
    programs = {p.name: p for p in ThematicProgram.objects.filter(name__in=DEMO_PROGRAMS)}
    programs = {name: programs[name] for name in DEMO_PROGRAMS if name in programs}
    already_tagged = set(
        KampungProgram.objects.filter(kampung__in=kampung).values_list("kampung_id", "program_id")
    )
    targets = _estimate_targets(kampung)
    drawn = [
        _records_for(
            item,
            target=targets[item.desa_kode],
            agencies=agencies,
            programs=programs,
            today=today,
        )
        for item in kampung
    ]
    for records in drawn:
        for tag in records.tags:
            if (tag.kampung_id, tag.program_id) not in already_tagged:
                kampung_program_save(tag=tag, by=None)
    KampungProfile.objects.bulk_create([records.profile for records in drawn])
    KampungFigures.objects.bulk_create([month for records in drawn for month in records.figures])
    activities = [pair for records in drawn for pair in records.activities]
    Activity.objects.bulk_create([activity for activity, _partners in activities])
    through = Activity.agencies.through
    through.objects.bulk_create(
        [
            through(activity_id=activity.pk, agency_id=agency.pk)
            for activity, partners in activities
            for agency in partners
        ]
    )
    for records in drawn:
        kampung_refresh_estimate(kampung=records.kampung)
    return len(drawn)
