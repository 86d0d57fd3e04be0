"""Kampung records for the verification tests: a profile and two months of figures.

With ``PROFILE`` and ``FIGURES_JANUARY`` the rule scores Input 3,40 (met), Proses 2,33 (not met)
and Output 3,25 (met): estimated level mandiri. ``FIGURES_FEBRUARY`` lifts CPR from 35% to 45%,
so O2 moves 2 → 3 and Output 3,25 → 3,50; nothing else changes.
"""

import datetime

from classification.services.records import figures_create, profile_create

PROFILE = {
    "pokja_exists": True,
    "pokja_sk_nomor": "412.2/05/2025",
    "pokja_members": 11,
    "pokja_members_trained": 5,
    "funding_sources": ["apbd", "dana_desa", "swadaya"],
    "poktan_present": ["bkb", "bkr", "bkl", "uppka", "pikr"],
    "has_sekretariat": True,
    "has_rumah_dataku": True,
    "has_pendamping": True,
    "has_regulation": True,
    "data_sources": ["pk", "rutin_bkkbn"],
    "mechanisms": {
        "rapat_perencanaan": "bulanan",
        "sosialisasi": "triwulanan",
        "laporan": "tahunan",
    },
}

# 100 PUS = 35 users (IUD 10, implan 5, suntik 15, pil 5) + 65 non-users (20 + 36 + 5 + 4).
FIGURES_JANUARY = {
    "period": datetime.date(2026, 1, 1),
    "families": 200,
    "pus": 100,
    "remaja": 80,
    "families_with_balita": 60,
    "families_with_remaja": 50,
    "families_with_lansia": 40,
    "participants_bkb": 30,
    "participants_bkr": 20,
    "participants_bkl": 10,
    "participants_uppka": 50,
    "participants_pikr": 20,
    "users_iud": 10,
    "users_implan": 5,
    "users_suntik": 15,
    "users_pil": 5,
    "not_using_hamil": 20,
    "not_using_ingin_anak_segera": 36,
    "not_using_ingin_anak_tunda": 5,
    "not_using_tidak_ingin_anak_lagi": 4,
}
# Ten more on suntik, ten fewer wanting a child soon: still 100 PUS, CPR 45%.
FIGURES_FEBRUARY = {
    **FIGURES_JANUARY,
    "period": datetime.date(2026, 2, 1),
    "users_suntik": 25,
    "not_using_ingin_anak_segera": 26,
}

JANUARY_SCORES = {
    "i1": 4,
    "i2": 3,
    "i3": 4,
    "i4": 3,
    "i5": 3,
    "p1": 3,
    "p2": 3,
    "p3": 1,
    "o1": 4,
    "o2": 2,
    "o3": 4,
    "o4": 3,
}


def give_records(kampung, by, figures=FIGURES_JANUARY):
    """A profile and one month's figures, written through the services as a Pokja would."""
    profile_create(kampung=kampung, by=by, **PROFILE)
    figures_create(kampung=kampung, by=by, **figures)


# The figures form as a browser posts it (strings).
# 200 families, 100 PUS: 55 users (IUD 10, implan 5, suntik 25, pil 15) + 45 non-users
# (hamil 20, ingin anak segera 16, ingin anak ditunda 5, tidak ingin anak lagi 4) = 100.
FIGURES_FORM = {
    "period": "2026-02",
    "families": "200",
    "pus": "100",
    "remaja": "80",
    "families_with_balita": "60",
    "families_with_remaja": "50",
    "families_with_lansia": "40",
    "participants_bkb": "30",
    "participants_bkr": "20",
    "participants_bkl": "10",
    "participants_uppka": "50",
    "participants_pikr": "20",
    "users_iud": "10",
    "users_mow": "0",
    "users_mop": "0",
    "users_kondom": "0",
    "users_implan": "5",
    "users_suntik": "25",
    "users_pil": "15",
    "not_using_hamil": "20",
    "not_using_ingin_anak_segera": "16",
    "not_using_ingin_anak_tunda": "5",
    "not_using_tidak_ingin_anak_lagi": "4",
}


# The profile form as a browser posts it.
PROFILE_FORM = {
    "pokja_exists": "on",
    "pokja_sk_nomor": "12/SK-KKB/2020",
    "pokja_sk_tanggal": "2020-02-03",
    "pokja_members": "11",
    "pokja_members_trained": "4",
    "funding_sources": ["dana_desa", "apbd"],
    "poktan_present": ["bkb", "bkr"],
    "has_sekretariat": "on",
    "has_pendamping": "on",
    "pendamping_nama": "PKB Kecamatan Takisung",
    "data_sources": ["pk"],
    "mechanism_rapat_perencanaan": "tahunan",
    "mechanism_rakor_opd": "tidak",
    "mechanism_sosialisasi": "bulanan",
    "mechanism_monev": "triwulanan",
    "mechanism_laporan": "bulanan",
}
