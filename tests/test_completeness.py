"""Reporting completeness: the selector, ``/kelengkapan/`` and the Pokja's own status."""

import datetime
from unittest import mock

from django.test import override_settings
from django.utils import timezone

from classification.models import Activity, Kampung, KampungFigures, KampungProfile
from classification.selectors.completeness import reporting_completeness
from tests.base import KAMPUNG_A, KAMPUNG_B, KOTABARU, TANAH_LAUT, PeopleTestCase

TODAY = datetime.date(2026, 11, 22)


def add_records(desa_kode: str, *, profile=True, figures_period=None, activity_date=None):
    kampung = Kampung.objects.get(desa_kode=desa_kode)
    if profile:
        KampungProfile.objects.create(kampung=kampung)
    if figures_period:
        KampungFigures.objects.create(kampung=kampung, period=figures_period)
    if activity_date:
        Activity.objects.create(
            kampung=kampung, date=activity_date, title="Penyuluhan", category="lainnya"
        )
    return kampung


class CompletenessSelectorTests(PeopleTestCase):
    def rows(self, **kwargs):
        result = reporting_completeness(kabupaten_kode=TANAH_LAUT, today=TODAY, **kwargs)
        return result, {row.kampung.desa_kode: row for row in result.rows}

    def test_nothing_reported_means_every_kampung_is_missing_everything(self):
        result, rows = self.rows()
        self.assertEqual(len(rows), 135)
        totals = result.totals
        self.assertEqual(
            (totals.missing_profile, totals.missing_figures, totals.missing_activity), (135,) * 3
        )
        self.assertEqual(sum(k.total for k in result.by_kecamatan), 135)
        self.assertIsNone(rows[KAMPUNG_A].last_update)

    def test_current_records_count_and_old_ones_do_not(self):
        add_records(
            KAMPUNG_A,
            figures_period=datetime.date(2026, 11, 1),
            activity_date=datetime.date(2026, 11, 3),
        )
        add_records(
            KAMPUNG_B,
            profile=False,
            figures_period=datetime.date(2026, 10, 1),
            activity_date=datetime.date(2026, 10, 30),
        )
        result, rows = self.rows()
        a, b = rows[KAMPUNG_A], rows[KAMPUNG_B]
        self.assertTrue(a.profile_ok and a.figures_ok and a.activity_ok and a.complete)
        self.assertEqual(a.last_figures, datetime.date(2026, 11, 1))
        self.assertEqual(a.last_activity, datetime.date(2026, 11, 3))
        self.assertEqual(a.last_update, timezone.localdate())
        self.assertFalse(b.profile_ok or b.figures_ok or b.activity_ok)
        self.assertEqual(b.last_figures, datetime.date(2026, 10, 1))
        self.assertEqual(result.totals.complete, 1)
        self.assertEqual(result.totals.missing_activity, 134)

    def test_quarterly_figures_accept_an_earlier_month_of_the_quarter(self):
        add_records(KAMPUNG_B, profile=False, figures_period=datetime.date(2026, 10, 1))
        _, monthly = self.rows(figures_every="month")
        _, quarterly = self.rows(figures_every="quarter")
        self.assertFalse(monthly[KAMPUNG_B].figures_ok)
        self.assertTrue(quarterly[KAMPUNG_B].figures_ok)

    @override_settings(REPORTING_FIGURES_PERIOD="quarter")
    def test_the_setting_chooses_the_period(self):
        result, _ = self.rows()
        self.assertEqual(result.figures_every, "quarter")
        self.assertEqual(result.figures_since, datetime.date(2026, 10, 1))

    def test_one_query_whatever_the_records(self):
        with self.assertNumQueries(1):
            self.rows()
        add_records(
            KAMPUNG_A,
            figures_period=datetime.date(2026, 11, 1),
            activity_date=datetime.date(2026, 11, 3),
        )
        with self.assertNumQueries(1):
            self.rows()
        with self.assertNumQueries(1):
            reporting_completeness(kabupaten_kode=KOTABARU, today=TODAY)


@mock.patch("classification.views.base.local_today", return_value=TODAY)
class CompletenessPageTests(PeopleTestCase):
    def test_anonymous_is_sent_to_login(self, _today):
        response = self.client.get("/kelengkapan/")
        self.assertRedirects(response, "/masuk/?next=/kelengkapan/", fetch_redirect_response=False)

    def test_staff_sees_the_summary_and_the_filter_keeps_only_missing(self, _today):
        add_records(
            KAMPUNG_A,
            figures_period=datetime.date(2026, 11, 1),
            activity_date=datetime.date(2026, 11, 3),
        )
        self.client.force_login(self.staf)
        response = self.client.get("/kelengkapan/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'data-testid="completeness-summary"')
        self.assertEqual(len(response.context["table"].rows), 135)
        response = self.client.get("/kelengkapan/?belum=1")
        self.assertEqual(len(response.context["table"].rows), 134)
        self.assertContains(response, "Kelengkapan")

    def test_scope(self, _today):
        self.client.force_login(self.peninjau)
        self.assertEqual(self.client.get(f"/kelengkapan/?kabupaten={KOTABARU}").status_code, 200)
        self.client.force_login(self.staf)
        self.assertEqual(self.client.get(f"/kelengkapan/?kabupaten={KOTABARU}").status_code, 404)

    def test_nav_link_for_staff_not_for_pokja(self, _today):
        self.client.force_login(self.staf)
        self.assertContains(self.client.get("/laporan/"), 'href="/kelengkapan/"')
        self.client.force_login(self.pokja_a)
        self.assertNotContains(self.client.get("/laporan/"), 'href="/kelengkapan/"')

    def test_pokja_sees_own_status_on_the_dashboard(self, _today):
        self.client.force_login(self.pokja_a)
        response = self.client.get("/")
        self.assertContains(response, "Profil tahun ini")
        self.assertContains(response, "Angka bulan ini")
        self.assertContains(response, "Kegiatan bulan ini")
        self.assertNotContains(response, "sudah</a>")
        kampung = add_records(KAMPUNG_A, activity_date=timezone.localdate())
        response = self.client.get("/")
        self.assertContains(response, f'href="/kampung/{kampung.desa_kode}/kegiatan/tambah/">sudah')
        self.assertContains(response, f'href="/kampung/{kampung.desa_kode}/profil/ubah/">sudah')
