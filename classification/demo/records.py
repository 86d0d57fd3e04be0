"""Demo records: profiles, monthly figures and tags drawn per kampung to match its level."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from ..models import (
    Activity,
    Agency,
    Frequency,
    Kampung,
    KampungFigures,
    KampungProfile,
    KampungProgram,
    ThematicProgram,
)
from ..rules.levels import Level
from ..rules.scoring import group_indices, score_indicators
from ..rules.vocabularies import CONTRACEPTIVE_METHODS, POKTAN
from ..selectors.records import inputs_from_records
from ..services.records import kampung_program_save, kampung_refresh_estimate
from .activities import draw_activities
from .baseline import DEMO_KABUPATEN, DEMO_NOTE

# --------------------------------------------------------------------------------------------
# Demo records: profile, figures, activities and thematic tags, all made up
# --------------------------------------------------------------------------------------------

RECORDS_SEED = "kampungkb-demo-records"


FIGURE_MONTHS = 3


DEMO_PROGRAMS = ("Kampung Bersinar", "Desa Ramah Perempuan dan Peduli Anak", "Kampung Pemuda")


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
    """P3 as selectors.records.cross_sector_agency_count will count it once the rows are saved."""
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
        activities = draw_activities(
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
