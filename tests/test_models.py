"""Database constraints that must hold whatever code writes the row, and small model helpers."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.test import SimpleTestCase, TestCase

from classification.models import (
    ClassificationLevel,
    Kabupaten,
    Kampung,
    Kecamatan,
    LevelChange,
    RegionScope,
    TargetPolicy,
)


class ConstraintTestCase(TestCase):
    def assertRefused(self, create, **kwargs):
        """The database itself rejects the row (no model validation in between)."""
        with self.assertRaises(IntegrityError), transaction.atomic():
            create(**kwargs)


class RegionCodeConstraintTests(ConstraintTestCase):
    def test_kabupaten_code_must_start_with_its_provinsi_code(self):
        Kabupaten.objects.create(kode="63.98", nama="Uji", provinsi_id="63")
        self.assertRefused(Kabupaten.objects.create, kode="64.98", nama="Uji", provinsi_id="63")

    def test_kecamatan_code_must_start_with_its_kabupaten_code(self):
        Kecamatan.objects.create(kode="63.01.98", nama="Uji", kabupaten_id="63.01")
        self.assertRefused(
            Kecamatan.objects.create, kode="63.02.98", nama="Uji", kabupaten_id="63.01"
        )

    def test_desa_code_must_start_with_its_kecamatan_code(self):
        Kampung.objects.create(
            desa_kode="63.01.01.2998", desa_nama="Uji", jenis="desa", kecamatan_id="63.01.01"
        )
        self.assertRefused(
            Kampung.objects.create,
            desa_kode="63.01.02.2998",
            desa_nama="Uji",
            jenis="desa",
            kecamatan_id="63.01.01",
        )

    def test_one_kampung_per_desa(self):
        existing = Kampung.objects.get(desa_kode="63.01.01.2002")
        self.assertRefused(
            Kampung.objects.create,
            desa_kode=existing.desa_kode,
            desa_nama="Tabanio kedua",
            jenis="desa",
            kecamatan_id="63.01.01",
        )


class KampungConstraintTests(ConstraintTestCase):
    def make(self, **kwargs):
        fields = {
            "desa_kode": "63.01.01.2998",
            "desa_nama": "Uji",
            "jenis": "desa",
            "kecamatan_id": "63.01.01",
        }
        return Kampung.objects.create(**(fields | kwargs))

    def test_pencanangan_not_before_2016(self):
        self.assertEqual(
            self.make(tanggal_pencanangan=datetime.date(2016, 1, 1)).tanggal_pencanangan,
            datetime.date(2016, 1, 1),
        )
        self.assertRefused(
            self.make, desa_kode="63.01.01.2997", tanggal_pencanangan=datetime.date(2015, 12, 31)
        )

    def test_official_level_needs_a_date(self):
        self.make(official_level_id="dasar", official_level_since=datetime.date(2025, 7, 31))
        self.assertRefused(self.make, desa_kode="63.01.01.2997", official_level_id="dasar")


class LevelChangeConstraintTests(ConstraintTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.kampung = Kampung.objects.get(desa_kode="63.01.01.2002")

    def make(self, **kwargs):
        return LevelChange.objects.create(
            kampung=self.kampung,
            effective_date=datetime.date(2026, 3, 1),
            source=LevelChange.Source.CORRECTION,
            **kwargs,
        )

    def test_a_change_must_change_the_level(self):
        self.make(level_from_id="berkembang", level_to_id="mandiri")
        self.make(level_from_id=None, level_to_id="mandiri")  # a first level has no "from"
        self.assertRefused(self.make, level_from_id="mandiri", level_to_id="mandiri")


class RegionScopeConstraintTests(ConstraintTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = get_user_model().objects.create_user("scoped")

    def test_exactly_one_region(self):
        RegionScope.objects.create(user=self.user, kabupaten_id="63.01")
        RegionScope.objects.create(user=self.user, provinsi_id="63")
        with self.subTest("neither"):
            self.assertRefused(RegionScope.objects.create, user=self.user)
        with self.subTest("both"):
            self.assertRefused(
                RegionScope.objects.create, user=self.user, provinsi_id="63", kabupaten_id="63.01"
            )


class TargetPolicyConstraintTests(ConstraintTestCase):
    def test_percent_above_zero_and_at_most_100(self):
        cases = [
            ("0.01", True),
            ("5", True),
            ("100", True),
            ("0", False),
            ("-5", False),
            ("100.01", False),
        ]
        for percent, allowed in cases:
            with self.subTest(percent=percent):
                create = TargetPolicy.objects.create
                kwargs = {
                    "kabupaten_id": "63.02",
                    "baseline_date": datetime.date(2025, 7, 31),
                    "annual_percent": Decimal(percent),
                }
                if allowed:
                    with transaction.atomic():
                        policy = create(**kwargs)
                        policy.delete()
                else:
                    self.assertRefused(create, **kwargs)


class ClassificationLevelTests(ConstraintTestCase):
    def set_rank(self, code, rank):
        ClassificationLevel.objects.filter(code=code).update(rank=rank)

    def test_rank_between_1_and_4(self):
        self.set_rank("dasar", 1)  # unchanged: allowed
        for rank in (0, 5):
            with self.subTest(rank=rank):
                self.assertRefused(self.set_rank, code="dasar", rank=rank)

    def test_rank_is_unique(self):
        self.assertRefused(self.set_rank, code="mandiri", rank=2)
        self.assertRefused(
            ClassificationLevel.objects.create,
            code="berkelanjutan",
            rank=4,
            label="Berkelanjutan",
            colour="#000000",
            bkkbn_code="berkelanjutan",
        )

    def test_four_seeded_levels(self):
        self.assertEqual(
            list(
                ClassificationLevel.objects.order_by("rank").values_list(
                    "code", "rank", "label", "bkkbn_code"
                )
            ),
            [
                ("dasar", 1, "Dasar", "dasar"),
                ("berkembang", 2, "Berkembang", "berkembang"),
                ("mandiri", 3, "Mandiri", "mandiri"),
                ("paripurna", 4, "Paripurna", "berkelanjutan"),
            ],
        )

    def test_mandiri_and_paripurna_count_towards_the_target(self):
        upper = {level.code: level.is_upper for level in ClassificationLevel.objects.all()}
        self.assertEqual(
            upper, {"dasar": False, "berkembang": False, "mandiri": True, "paripurna": True}
        )


class ModelHelperTests(SimpleTestCase):
    def test_display_name_falls_back_to_desa_name(self):
        kampung = Kampung(desa_kode="63.01.01.2002", desa_nama="Tabanio")
        self.assertEqual(kampung.display_name, "Kampung KB Tabanio")
        self.assertEqual(str(kampung), "Kampung KB Tabanio")
        kampung.nama_kampung = "Kampung KB Bahari Tabanio"
        self.assertEqual(kampung.display_name, "Kampung KB Bahari Tabanio")

    def test_is_kota_from_the_third_digit(self):
        cases = [("63.01", False), ("63.71", True), ("63.72", True), ("64.09", False)]
        for kode, is_kota in cases:
            with self.subTest(kode=kode):
                self.assertIs(Kabupaten(kode=kode).is_kota, is_kota)
