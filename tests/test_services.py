"""services.levels: kampung_set_level, the official level and its history; and the level held on
a date as the counting selectors read it (selectors.levels.level_on)."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import TestCase

from classification.models import ClassificationLevel, Kampung, LevelChange
from classification.selectors.levels import level_on
from classification.services.levels import kampung_set_level

BASELINE = datetime.date(2025, 7, 31)
TABANIO = "63.01.01.2002"  # berkembang in the demo baseline
KOTABARU_DESA = "63.02.01.2001"  # Kotabaru has no levels


def level_at(*, kampung: Kampung, on: datetime.date) -> str | None:
    """The level ``selectors.levels.level_on`` reads for one kampung on ``on``."""
    return (
        Kampung.objects.filter(pk=kampung.pk)
        .annotate(level=level_on(on))
        .values_list("level", flat=True)
        .get()
    )


class SetLevelTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.levels = {level.code: level for level in ClassificationLevel.objects.all()}
        cls.staf = get_user_model().objects.create_user("staf")
        cls.tabanio = Kampung.objects.get(desa_kode=TABANIO)

    def set_level(self, kampung, code, date, **kwargs):
        kwargs.setdefault("source", LevelChange.Source.VERIFICATION)
        return kampung_set_level(
            kampung=kampung, level=self.levels[code], effective_date=date, **kwargs
        )

    def reload(self, kampung):
        return Kampung.objects.get(pk=kampung.pk)


class KampungSetLevelTests(SetLevelTestCase):
    def test_records_the_change_and_moves_the_kampung(self):
        change = self.set_level(
            self.tabanio,
            "mandiri",
            datetime.date(2026, 3, 1),
            by=self.staf,
            note="Hasil verifikasi lapangan Maret 2026",
        )
        change.refresh_from_db()
        self.assertEqual(
            (change.level_from_id, change.level_to_id, change.effective_date),
            ("berkembang", "mandiri", datetime.date(2026, 3, 1)),
        )
        self.assertEqual(change.changed_by, self.staf)
        self.assertEqual(change.note, "Hasil verifikasi lapangan Maret 2026")
        self.assertEqual(change.source, LevelChange.Source.VERIFICATION)
        self.assertEqual(change.kampung, self.tabanio)
        kampung = self.reload(self.tabanio)
        self.assertEqual(kampung.official_level_id, "mandiri")
        self.assertEqual(kampung.official_level_since, datetime.date(2026, 3, 1))

    def test_first_level_of_a_kampung_has_no_previous_level(self):
        kampung = Kampung.objects.get(desa_kode=KOTABARU_DESA)
        self.assertIsNone(kampung.official_level)
        change = self.set_level(kampung, "dasar", BASELINE, source=LevelChange.Source.BASELINE)
        self.assertIsNone(change.level_from_id)
        kampung = self.reload(kampung)
        self.assertEqual(
            (kampung.official_level_id, kampung.official_level_since), ("dasar", BASELINE)
        )

    def test_level_change_leaves_the_identity_version_alone(self):
        # The version guards the identity form; a verification must not make an open
        # identity edit look stale.
        version = self.tabanio.version
        self.set_level(self.tabanio, "mandiri", datetime.date(2026, 3, 1))
        self.set_level(self.tabanio, "paripurna", datetime.date(2027, 3, 1))
        self.assertEqual(self.reload(self.tabanio).version, version)

    def test_refuses_the_level_the_kampung_already_has(self):
        before = LevelChange.objects.count()
        with self.assertRaises(ValidationError) as caught:
            self.set_level(self.tabanio, "berkembang", datetime.date(2026, 3, 1), by=self.staf)
        # The operator is told which level, not a raw placeholder.
        self.assertEqual(
            caught.exception.message_dict["level"],
            ["Kampung ini sudah berada di level Berkembang."],
        )
        self.assertEqual(LevelChange.objects.count(), before)
        kampung = self.reload(self.tabanio)
        self.assertEqual(
            (kampung.official_level_id, kampung.official_level_since), ("berkembang", BASELINE)
        )

    def test_refuses_an_unknown_source_and_writes_nothing(self):
        before = LevelChange.objects.count()
        with self.assertRaises(ValidationError) as caught:
            self.set_level(self.tabanio, "mandiri", datetime.date(2026, 3, 1), source="tebakan")
        self.assertIn("source", caught.exception.message_dict)
        self.assertEqual(LevelChange.objects.count(), before)
        self.assertEqual(self.reload(self.tabanio).official_level_id, "berkembang")

    def test_a_demotion_is_recorded_like_a_promotion(self):
        change = self.set_level(
            self.tabanio, "dasar", datetime.date(2026, 3, 1), source=LevelChange.Source.CORRECTION
        )
        self.assertEqual((change.level_from_id, change.level_to_id), ("berkembang", "dasar"))
        self.assertEqual(self.reload(self.tabanio).official_level_id, "dasar")

    def test_two_changes_on_the_same_day_the_later_one_wins(self):
        day = datetime.date(2026, 3, 1)
        self.set_level(self.tabanio, "mandiri", day)
        second = self.set_level(self.tabanio, "paripurna", day, source="correction")
        self.assertEqual(second.level_from_id, "mandiri")
        self.assertEqual(level_at(kampung=self.tabanio, on=day), "paripurna")
        self.assertEqual(self.reload(self.tabanio).official_level_id, "paripurna")


class BackDatedChangeTests(SetLevelTestCase):
    """History grows forward only, so every row's "from" stays the level held just before it."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Tabanio: berkembang at the baseline, paripurna from 1 March 2026.
        kampung_set_level(
            kampung=cls.tabanio,
            level=cls.levels["paripurna"],
            effective_date=datetime.date(2026, 3, 1),
            source=LevelChange.Source.VERIFICATION,
        )

    def test_change_dated_before_the_latest_is_refused_and_nothing_written(self):
        with self.assertRaises(ValidationError) as raised:
            self.set_level(self.tabanio, "mandiri", datetime.date(2025, 10, 1), source="correction")
        self.assertIn("effective_date", raised.exception.message_dict)
        self.assertIn("01-03-2026", raised.exception.message_dict["effective_date"][0])
        self.assertEqual(self.tabanio.level_changes.count(), 2)
        kampung = self.reload(self.tabanio)
        self.assertEqual(kampung.official_level_id, "paripurna")
        self.assertEqual(kampung.official_level_since, datetime.date(2026, 3, 1))

    def test_change_on_the_same_day_as_the_latest_is_accepted(self):
        change = self.set_level(self.tabanio, "mandiri", datetime.date(2026, 3, 1))
        self.assertEqual((change.level_from_id, change.level_to_id), ("paripurna", "mandiri"))
        self.assertEqual(self.reload(self.tabanio).official_level_id, "mandiri")

    def test_refused_when_the_kampung_already_has_that_level(self):
        with self.assertRaises(ValidationError) as raised:
            self.set_level(self.tabanio, "paripurna", datetime.date(2026, 4, 1))
        self.assertIn("Paripurna", raised.exception.message_dict["level"][0])
        self.assertEqual(self.tabanio.level_changes.count(), 2)


class LevelAtTests(SetLevelTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        kampung_set_level(
            kampung=cls.tabanio,
            level=cls.levels["mandiri"],
            effective_date=datetime.date(2026, 3, 1),
            source=LevelChange.Source.VERIFICATION,
        )

    def test_level_on_each_date(self):
        cases = [
            (datetime.date(2025, 7, 30), None),  # before the baseline: no level yet
            (BASELINE, "berkembang"),
            (datetime.date(2026, 2, 28), "berkembang"),
            (datetime.date(2026, 3, 1), "mandiri"),
            (datetime.date(2030, 1, 1), "mandiri"),
        ]
        for on, expected in cases:
            with self.subTest(on=on):
                self.assertEqual(level_at(kampung=self.tabanio, on=on), expected)

    def test_kampung_without_history_has_no_level(self):
        kampung = Kampung.objects.get(desa_kode=KOTABARU_DESA)
        self.assertIsNone(level_at(kampung=kampung, on=datetime.date(2030, 1, 1)))

    def test_other_kampung_history_does_not_leak(self):
        benua_lawas = Kampung.objects.get(desa_kode="63.01.01.2001")
        self.assertEqual(level_at(kampung=benua_lawas, on=datetime.date(2026, 3, 1)), "dasar")
