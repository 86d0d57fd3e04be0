"""The record pages of one kampung (``/kampung/<kode>/…``) and its public page.

Every edit page: a valid POST saves through its service and redirects with an Indonesian success
message; every validation rule refuses a bad value on the page and saves nothing. Then who may open
which page, and the detail page's query count.
"""

import datetime
import io
import random
import re
import shutil
import tempfile
from pathlib import Path

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import QueryDict
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape
from PIL import Image

from classification.models import (
    Activity,
    Agency,
    ClassificationLevel,
    Kampung,
    KampungFigures,
    KampungProfile,
    KampungProgram,
    LevelChange,
    ThematicProgram,
)
from classification.services.levels import kampung_set_level
from classification.services.records import (
    activity_save,
    figures_create,
    kampung_program_save,
    profile_create,
)
from tests.base import KAMPUNG_A, KAMPUNG_B, SESSION_CACHED, PeopleTestCase
from tests.records import FIGURES_FORM as FIGURES
from tests.records import PROFILE_FORM as PROFILE

A = f"/kampung/{KAMPUNG_A}/"
B = f"/kampung/{KAMPUNG_B}/"
NEGATIVE = "Angka tidak boleh negatif."
IDENTITY_FIELDS = (
    "nama_kampung",
    "tanggal_pencanangan",
    "gambaran_umum",
    "cakupan_wilayah",
    "latitude",
    "longitude",
    "photo",
    "version",
)
# Detail page, for DP3A staff, with records: session, user, access (groups, region scopes, Pokja
# seats), the kampung, latest profile, latest figures, cross-sector agencies, levels, level
# history, activities, their agencies (one prefetch), programme tags, the open assessment, the
# change history (selectors.audit.kampung_history: 10 fixed queries), the Pokja members. Without any
# activity the prefetch is skipped (test_views_kampung.DETAIL_QUERIES).
DETAIL_QUERIES_WITH_RECORDS = 26 - SESSION_CACHED


def today() -> datetime.date:
    return timezone.localdate()


def tomorrow() -> str:
    return (today() + datetime.timedelta(days=1)).isoformat()


def next_month() -> str:
    first = today().replace(day=1) + datetime.timedelta(days=32)
    return first.strftime("%Y-%m")


def png_bytes(size: tuple[int, int] = (12, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def big_png_bytes() -> bytes:
    """A real PNG of about 5.9 MB: 1,400 × 1,400 pixels of noise, stored uncompressed."""
    noise = random.Random(63).randbytes(1400 * 1400 * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (1400, 1400), noise).save(buffer, "PNG", compress_level=0)
    return buffer.getvalue()


def login_url(url: str) -> str:
    query = QueryDict(mutable=True)
    query["next"] = url
    return "/masuk/?" + query.urlencode(safe="/")


IDENTITY = {
    "nama_kampung": "Kampung KB Tabanio Bahari",
    "tanggal_pencanangan": "2017-05-20",
    "gambaran_umum": "Desa pesisir di muara Sungai Tabanio.",
    "cakupan_wilayah": "Seluruh desa",
    "latitude": "-3,80512",
    "longitude": "114,62231",
}


class RecordPagesTestCase(PeopleTestCase):
    """Tabanio (pokja_a's kampung) and Benua Lawas (pokja_b's), each with one activity and tag."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.kampung = Kampung.objects.get(desa_kode=KAMPUNG_A)
        cls.other = Kampung.objects.get(desa_kode=KAMPUNG_B)
        cls.puskesmas = Agency.objects.get(name="Puskesmas")
        cls.bnn = Agency.objects.get(name="BNN")
        cls.bersinar = ThematicProgram.objects.get(name="Kampung Bersinar")
        cls.drppa = ThematicProgram.objects.get(name="Desa Ramah Perempuan dan Peduli Anak")
        cls.pemuda = ThematicProgram.objects.get(name="Kampung Pemuda")
        cls.activity = activity_save(
            activity=Activity(
                kampung=cls.kampung,
                date=datetime.date(2026, 1, 20),
                title="Pertemuan BKB: pengasuhan balita",
                category="pendidikan",
                target_groups=["balita"],
            ),
            by=cls.pokja_a,
            agencies=[cls.puskesmas],
        )
        cls.other_activity = activity_save(
            activity=Activity(
                kampung=cls.other,
                date=datetime.date(2026, 1, 21),
                title="Senam lansia Benua Lawas",
                category="cinta_kasih",
            ),
            by=cls.pokja_b,
            agencies=[cls.puskesmas],
        )
        cls.tag = kampung_program_save(
            tag=KampungProgram(
                kampung=cls.kampung, program=cls.bersinar, since=datetime.date(2024, 5, 1)
            ),
            by=cls.staf,
        )
        cls.other_tag = kampung_program_save(
            tag=KampungProgram(
                kampung=cls.other, program=cls.bersinar, since=datetime.date(2024, 6, 1)
            ),
            by=cls.staf,
        )

    def activity_data(self, **changes) -> dict:
        return {
            "date": "2026-02-14",
            "title": "Penyuluhan bahaya narkoba bagi remaja",
            "place": "Balai Desa Tabanio",
            "description": "Bersama BNN dan Puskesmas.",
            "category": "perlindungan",
            "target_groups": ["remaja"],
            "agencies": [str(self.puskesmas.pk), str(self.bnn.pk)],
            "program": str(self.bersinar.pk),
            **changes,
        }

    def tag_data(self, **changes) -> dict:
        return {"program": str(self.drppa.pk), "since": "2025-08-17", "status": "aktif", **changes}

    def kampung_row(self) -> dict:
        return Kampung.objects.filter(pk=self.kampung.pk).values(*IDENTITY_FIELDS).get()

    def snapshot(self) -> dict:
        """Everything an edit page could write, to show a refused POST wrote nothing."""
        return {
            "kampung": list(
                Kampung.objects.filter(pk__in=[self.kampung.pk, self.other.pk]).values()
            ),
            "profiles": list(KampungProfile.objects.values_list("pk", flat=True)),
            "figures": list(KampungFigures.objects.values_list("pk", flat=True)),
            "activities": list(Activity.objects.order_by("pk").values()),
            "agency_links": list(
                Activity.agencies.through.objects.order_by("pk").values_list(
                    "activity_id", "agency_id"
                )
            ),
            "tags": list(KampungProgram.objects.order_by("pk").values()),
            "level_changes": LevelChange.objects.count(),
        }

    def assertRefused(self, response, field: str, message: str):
        """The form comes back (200) with ``message`` shown under ``field``."""
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Data belum disimpan.")
        errors = re.search(
            rf'<ul class="field-error" id="id_{field}_error">(.*?)</ul>',
            response.content.decode(),
            re.S,
        )
        self.assertIsNotNone(errors, f"no error shown under {field}")
        self.assertIn(f"<li>{escape(message)}</li>", errors.group(1))
        self.assertIn(message, response.context["form"].errors[field])

    def assertSavedWithMessage(self, response, url: str, message: str):
        self.assertRedirects(response, url)
        self.assertContains(response, f'<li class="message message-success">{message}</li>')


# --------------------------------------------------------------------------------------------
# Identity and photo
# --------------------------------------------------------------------------------------------


class IdentityPageTests(RecordPagesTestCase):
    url = A + "ubah/"

    def test_pokja_saves_the_identity_and_returns_to_the_kampung_page(self):
        self.client.force_login(self.pokja_a)
        version = self.kampung_row()["version"]
        response = self.client.post(self.url, IDENTITY, follow=True)
        self.assertSavedWithMessage(response, A, "Identitas kampung disimpan.")
        row = self.kampung_row()
        self.assertEqual(row["nama_kampung"], "Kampung KB Tabanio Bahari")
        self.assertEqual(row["tanggal_pencanangan"], datetime.date(2017, 5, 20))
        self.assertEqual(str(row["latitude"]), "-3.80512")
        self.assertEqual(str(row["longitude"]), "114.62231")
        self.assertEqual(row["version"], version + 1)
        self.assertContains(response, "<h1>Kampung KB Tabanio Bahari</h1>", html=True)
        self.assertContains(response, "<dt>Pencanangan</dt><dd>20 Mei 2017</dd>", html=True)

    def test_the_form_opens_on_the_stored_values_with_a_decimal_comma(self):
        Kampung.objects.filter(pk=self.kampung.pk).update(nama_kampung="Kampung KB Tabanio")
        self.client.force_login(self.staf)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'value="Kampung KB Tabanio"')
        latitude = str(self.kampung.latitude).replace(".", ",")
        self.assertContains(response, f'value="{latitude}"')

    def test_each_bad_value_is_shown_on_the_page_and_nothing_is_saved(self):
        cases = [
            (
                "tanggal_pencanangan",
                "2015-12-31",
                "Tanggal pencanangan tidak boleh sebelum 1 Januari 2016.",
            ),
            ("tanggal_pencanangan", tomorrow(), "Tanggal pencanangan tidak boleh di masa depan."),
            ("latitude", "7", "Lintang harus antara -11 dan 6 (wilayah Indonesia)."),
            ("longitude", "150,5", "Bujur harus antara 94 dan 142 (wilayah Indonesia)."),
            (
                "latitude",
                "-3,805123",
                "Pastikan bilangan tidak memiliki lebih dari 5 angka desimal.",
            ),
            (
                "nama_kampung",
                "K" * 151,
                "Pastikan nilai ini mengandung paling banyak 150 karakter (sekarang 151 karakter).",
            ),
        ]
        self.client.force_login(self.pokja_a)
        before = self.snapshot()
        for field, value, message in cases:
            with self.subTest(field=field, value=value):
                response = self.client.post(self.url, {**IDENTITY, field: value})
                self.assertRefused(response, field, message)
                self.assertEqual(self.snapshot(), before)

    def test_a_refused_name_does_not_leak_into_the_page_header(self):
        self.client.force_login(self.pokja_a)
        response = self.client.post(
            self.url, {**IDENTITY, "nama_kampung": "Kampung KB Palsu", "latitude": "99"}
        )
        self.assertEqual(response.status_code, 200)
        # The typed name stays in its field for correcting; the header still names the kampung.
        self.assertContains(response, 'value="Kampung KB Palsu"')
        self.assertContains(response, f'<a href="{A}">Kampung KB Tabanio</a>', html=True)
        self.assertNotContains(response, f'<a href="{A}">Kampung KB Palsu</a>', html=True)


class PhotoUploadTests(RecordPagesTestCase):
    url = A + "ubah/"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.big_png = big_png_bytes()

    def setUp(self):
        # A fresh, empty MEDIA_ROOT per test, removed afterwards.
        self.media_root = Path(tempfile.mkdtemp(prefix="kampungkb-media-"))
        self.addCleanup(shutil.rmtree, self.media_root, ignore_errors=True)
        self.enterContext(override_settings(MEDIA_ROOT=self.media_root))
        self.client.force_login(self.pokja_a)

    def stored_files(self) -> list[Path]:
        return [path for path in self.media_root.rglob("*") if path.is_file()]

    def post_photo(self, name: str, content: bytes, content_type: str = "image/png", **data):
        photo = SimpleUploadedFile(name, content, content_type=content_type)
        return self.client.post(self.url, {**IDENTITY, **data, "photo": photo}, follow=True)

    def test_a_real_png_is_stored_and_shown_on_the_kampung_page(self):
        response = self.post_photo("balai-desa.png", png_bytes())
        self.assertSavedWithMessage(response, A, "Identitas kampung disimpan.")
        photo = self.kampung_row()["photo"]
        self.assertRegex(photo, r"^kampung/\d{4}/balai-desa[^/]*\.png$")
        (stored,) = self.stored_files()
        self.assertEqual(stored.relative_to(self.media_root).as_posix(), photo)
        self.assertEqual(Image.open(stored).size, (12, 8))
        self.assertContains(response, f'<img class="kampung-photo" src="/media/{photo}"')

    def test_refused_photos_say_why_and_store_nothing(self):
        cases = [
            (
                "foto.jpg",
                b"Bukan foto: daftar hadir pertemuan BKB.",
                "image/jpeg",
                "Berkas ini bukan gambar atau gambarnya rusak. Unggah foto JPG, PNG, atau WebP.",
            ),
            ("foto-besar.png", self.big_png, "image/png", "Ukuran foto paling besar 5 MB."),
        ]
        before = self.snapshot()
        for name, content, content_type, message in cases:
            with self.subTest(name=name, size=len(content)):
                response = self.post_photo(name, content, content_type)
                self.assertRefused(response, "photo", message)
                self.assertEqual(self.snapshot(), before)
                self.assertEqual(self.stored_files(), [])
        self.assertGreater(len(self.big_png), 5 * 1024 * 1024)

    def test_uploading_and_removing_at_once_is_refused(self):
        Kampung.objects.filter(pk=self.kampung.pk).update(photo="kampung/2026/lama.png")
        before = self.snapshot()
        response = self.post_photo("baru.png", png_bytes(), remove_photo="on")
        self.assertRefused(
            response,
            "remove_photo",
            "Pilih salah satu: unggah foto baru atau hapus foto yang sekarang.",
        )
        self.assertEqual(self.snapshot(), before)
        self.assertEqual(self.stored_files(), [])

    def test_a_photo_can_be_removed_even_when_its_file_has_gone_missing(self):
        # The stored name points at a file that is not in MEDIA_ROOT (e.g. media not restored).
        Kampung.objects.filter(pk=self.kampung.pk).update(photo="kampung/2025/hilang.png")
        response = self.client.post(self.url, {**IDENTITY, "remove_photo": "on"}, follow=True)
        self.assertSavedWithMessage(response, A, "Identitas kampung disimpan.")
        self.assertEqual(self.kampung_row()["photo"], "")
        self.assertNotContains(response, 'class="kampung-photo"')

    def test_saving_other_fields_keeps_the_photo(self):
        self.post_photo("balai-desa.png", png_bytes())
        photo = self.kampung_row()["photo"]
        response = self.client.post(self.url, {**IDENTITY, "cakupan_wilayah": "RW 01–03"})
        self.assertRedirects(response, A)
        self.assertEqual(self.kampung_row()["photo"], photo)
        self.assertEqual(len(self.stored_files()), 1)


# --------------------------------------------------------------------------------------------
# Profile
# --------------------------------------------------------------------------------------------


class ProfilePageTests(RecordPagesTestCase):
    url = A + "profil/ubah/"

    def test_first_save_creates_version_one_and_shows_it(self):
        self.client.force_login(self.pokja_a)
        response = self.client.post(self.url, PROFILE, follow=True)
        self.assertSavedWithMessage(response, A + "profil/", "Profil disimpan sebagai versi baru.")
        profile = KampungProfile.objects.get(kampung=self.kampung)
        self.assertEqual(profile.created_by, self.pokja_a)
        self.assertEqual((profile.pokja_members, profile.pokja_members_trained), (11, 4))
        self.assertEqual(profile.mechanisms["sosialisasi"], "bulanan")
        self.assertContains(response, '<h2 id="versi-judul">Profil saat ini</h2>', html=True)
        self.assertContains(response, "12/SK-KKB/2020")

    def test_each_save_adds_a_version_and_the_old_one_stays_readable(self):
        self.client.force_login(self.pokja_a)
        self.client.post(self.url, PROFILE)
        old = KampungProfile.objects.get(kampung=self.kampung)
        old_values = KampungProfile.objects.filter(pk=old.pk).values().get()
        # The edit form opens on the current version.
        form_page = self.client.get(self.url)
        self.assertContains(form_page, 'value="12/SK-KKB/2020"')
        response = self.client.post(
            self.url,
            {**PROFILE, "pokja_sk_nomor": "3/SK-KKB/2026", "pokja_members": "15"},
            follow=True,
        )
        self.assertSavedWithMessage(response, A + "profil/", "Profil disimpan sebagai versi baru.")
        self.assertEqual(KampungProfile.objects.filter(kampung=self.kampung).count(), 2)
        self.assertEqual(KampungProfile.objects.filter(pk=old.pk).values().get(), old_values)
        self.assertContains(response, "3/SK-KKB/2026")
        self.assertNotContains(response, "12/SK-KKB/2020")

        old_page = self.client.get(A + "profil/", {"versi": old.pk})
        self.assertEqual(old_page.status_code, 200)
        self.assertContains(old_page, '<h2 id="versi-judul">Versi lama</h2>', html=True)
        self.assertContains(old_page, "12/SK-KKB/2020")
        self.assertContains(old_page, "11 anggota, 4 sudah dilatih")
        self.assertContains(
            old_page, "Ini bukan versi terbaru; level estimasi memakai versi terbaru."
        )

    def test_unknown_or_foreign_versions_are_404(self):
        foreign = profile_create(kampung=self.other, by=self.pokja_b, pokja_exists=True)
        self.client.force_login(self.staf)
        for versi in ("999999", "abc", str(foreign.pk)):
            with self.subTest(versi=versi):
                response = self.client.get(A + "profil/", {"versi": versi})
                self.assertEqual(response.status_code, 404)

    def test_each_bad_value_is_shown_on_the_page_and_nothing_is_saved(self):
        cases = [
            ({"pokja_members": "-3"}, "pokja_members", NEGATIVE),
            ({"pokja_members_trained": "-1"}, "pokja_members_trained", NEGATIVE),
            (
                {"pokja_sk_tanggal": tomorrow()},
                "pokja_sk_tanggal",
                "Tanggal SK tidak boleh di masa depan.",
            ),
            (
                {"pokja_exists": ""},
                "pokja_members",
                "Pokja belum dibentuk: jumlah anggota harus 0.",
            ),
            (
                {"pokja_members_trained": "12"},
                "pokja_members_trained",
                "Anggota terlatih (12) tidak boleh melebihi jumlah anggota Pokja (11).",
            ),
            (
                {"funding_sources": ["bank_dunia"]},
                "funding_sources",
                "Masukkan pilihan yang valid. bank_dunia bukan salah satu dari pilihan yang "
                "tersedia.",
            ),
        ]
        self.client.force_login(self.staf)
        before = self.snapshot()
        for changes, field, message in cases:
            with self.subTest(field=field, changes=changes):
                response = self.client.post(self.url, {**PROFILE, **changes})
                self.assertRefused(response, field, message)
                self.assertEqual(self.snapshot(), before)


# --------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------


class FiguresPageTests(RecordPagesTestCase):
    url = A + "angka/tambah/"

    def test_valid_figures_are_saved_for_the_month(self):
        self.client.force_login(self.pokja_a)
        response = self.client.post(self.url, FIGURES, follow=True)
        self.assertSavedWithMessage(response, A + "angka/", "Angka periode Februari 2026 disimpan.")
        figures = KampungFigures.objects.get(kampung=self.kampung)
        self.assertEqual(figures.period, datetime.date(2026, 2, 1))
        self.assertEqual((figures.pus, figures.total_users), (100, 55))
        self.assertEqual(figures.created_by, self.pokja_a)

    def test_percentages_on_the_figures_page_are_computed_from_the_numbers(self):
        self.client.force_login(self.pokja_a)
        self.client.post(self.url, FIGURES)
        response = self.client.get(A + "angka/")
        # CPR = users ÷ PUS = (10 + 5 + 25 + 15) ÷ 100 = 55%.
        # MKJP = (IUD + MOW + MOP + implan) ÷ users = (10 + 0 + 0 + 5) ÷ 55 = 27.27… → 27%.
        # Unmet need = (ingin anak ditunda + tidak ingin anak lagi) ÷ PUS = (5 + 4) ÷ 100 = 9%.
        # Poktan: BKB 30/60 = 50, BKR 20/50 = 40, BKL 10/40 = 25, UPPKA 50/200 = 25,
        # PIK-R 20/80 = 25; (50 + 40 + 25 + 25 + 25) ÷ 5 = 33%.
        html = response.content.decode()
        for testid, shown in (("cpr", "55%"), ("mkjp", "27%"), ("unmet-need", "9%")):
            with self.subTest(testid=testid):
                self.assertIn(f'data-testid="{testid}">{shown}<', html)
        self.assertIn('data-testid="participation">33%<', html)
        self.assertContains(response, "BKB 50% · BKR 40% · BKL 25% · UPPKA 25% · PIK-R 25%")
        # The table row shows the same shares.
        self.assertContains(response, '<td data-label="CPR">55%</td>', html=True)
        self.assertContains(response, '<td data-label="MKJP">27%</td>', html=True)
        self.assertContains(response, '<td data-label="Unmet need">9%</td>', html=True)

    def test_a_month_already_entered_is_refused(self):
        figures_create(kampung=self.kampung, by=self.staf, period=datetime.date(2026, 2, 1))
        self.client.force_login(self.pokja_a)
        before = self.snapshot()
        response = self.client.post(self.url, FIGURES)
        self.assertRefused(response, "period", "Angka untuk periode Februari 2026 sudah ada.")
        self.assertEqual(self.snapshot(), before)

    def test_each_bad_value_is_shown_on_the_page_and_nothing_is_saved(self):
        cases = [
            (
                {"pus": "101"},
                "pus",
                "Peserta KB (55) + PUS bukan peserta KB (45) = 100, tidak sama dengan PUS (101).",
            ),
            (
                {"users_suntik": "30"},
                "pus",
                "Peserta KB (60) + PUS bukan peserta KB (45) = 105, tidak sama dengan PUS (100).",
            ),
            (
                {"participants_bkb": "61"},
                "participants_bkb",
                "Peserta BKB (61) melebihi keluarga dengan balita (60).",
            ),
            (
                {"participants_pikr": "81"},
                "participants_pikr",
                "Peserta PIK-R (81) melebihi jumlah remaja (80).",
            ),
            (
                {"families_with_lansia": "201"},
                "families_with_lansia",
                "Keluarga dengan lansia (201) melebihi jumlah keluarga (200).",
            ),
            ({"families": "-200"}, "families", NEGATIVE),
            ({"not_using_hamil": "-1"}, "not_using_hamil", NEGATIVE),
            ({"period": next_month()}, "period", "Periode tidak boleh di masa depan."),
            (
                {"period": "Februari 2026"},
                "period",
                "Masukkan bulan dengan format TTTT-BB, misalnya 2026-03.",
            ),
        ]
        self.client.force_login(self.staf)
        before = self.snapshot()
        for changes, field, message in cases:
            with self.subTest(changes=changes):
                response = self.client.post(self.url, {**FIGURES, **changes})
                self.assertRefused(response, field, message)
                self.assertEqual(self.snapshot(), before)


# --------------------------------------------------------------------------------------------
# Activities
# --------------------------------------------------------------------------------------------


class ActivityPageTests(RecordPagesTestCase):
    def test_adding_an_activity_saves_it_with_its_agencies(self):
        self.client.force_login(self.pokja_a)
        response = self.client.post(A + "kegiatan/tambah/", self.activity_data(), follow=True)
        self.assertSavedWithMessage(
            response,
            A + "kegiatan/",
            "Kegiatan “Penyuluhan bahaya narkoba bagi remaja” ditambahkan.",
        )
        activity = Activity.objects.get(kampung=self.kampung, title__startswith="Penyuluhan")
        self.assertEqual(set(activity.agencies.all()), {self.puskesmas, self.bnn})
        self.assertEqual(activity.program, self.bersinar)
        self.assertEqual(activity.created_by, self.pokja_a)
        self.assertContains(response, "Instansi: BNN, Puskesmas")

    def test_editing_an_activity_changes_it_and_its_agencies(self):
        self.client.force_login(self.staf)
        url = A + f"kegiatan/{self.activity.pk}/ubah/"
        self.assertContains(self.client.get(url), 'value="Pertemuan BKB: pengasuhan balita"')
        response = self.client.post(
            url,
            self.activity_data(title="Pertemuan BKB bulan Februari", agencies=[str(self.bnn.pk)]),
            follow=True,
        )
        self.assertSavedWithMessage(
            response, A + "kegiatan/", "Kegiatan “Pertemuan BKB bulan Februari” diperbarui."
        )
        self.activity.refresh_from_db()
        self.assertEqual(self.activity.title, "Pertemuan BKB bulan Februari")
        self.assertEqual(list(self.activity.agencies.all()), [self.bnn])
        # The author stays the one who recorded it.
        self.assertEqual(self.activity.created_by, self.pokja_a)

    def test_deleting_asks_first_then_deletes(self):
        self.client.force_login(self.pokja_a)
        url = A + f"kegiatan/{self.activity.pk}/hapus/"
        confirm = self.client.get(url)
        self.assertContains(
            confirm, "Kegiatan “Pertemuan BKB: pengasuhan balita” (20 Januari 2026)"
        )
        self.assertTrue(Activity.objects.filter(pk=self.activity.pk).exists())
        response = self.client.post(url, follow=True)
        self.assertSavedWithMessage(
            response, A + "kegiatan/", "Kegiatan “Pertemuan BKB: pengasuhan balita” dihapus."
        )
        self.assertFalse(Activity.objects.filter(pk=self.activity.pk).exists())
        self.assertTrue(Activity.objects.filter(pk=self.other_activity.pk).exists())

    def test_each_bad_value_is_shown_on_the_page_and_nothing_is_saved(self):
        retired = ThematicProgram.objects.create(name="Desa Sadar Jaminan", is_active=False)
        cases = [
            ("date", tomorrow(), "Tanggal kegiatan tidak boleh di masa depan."),
            ("title", "", str(forms.Field.default_error_messages["required"])),
            (
                "category",
                "olahraga",
                "Masukkan pilihan yang valid. olahraga bukan salah satu dari pilihan yang "
                "tersedia.",
            ),
            (
                "program",
                str(retired.pk),
                "Masukkan pilihan yang valid. Pilihan tersebut bukan salah satu dari pilihan "
                "yang tersedia.",
            ),
        ]
        self.client.force_login(self.pokja_a)
        before = self.snapshot()
        for url in (A + "kegiatan/tambah/", A + f"kegiatan/{self.activity.pk}/ubah/"):
            for field, value, message in cases:
                with self.subTest(url=url, field=field):
                    response = self.client.post(url, self.activity_data(**{field: value}))
                    self.assertRefused(response, field, message)
                    self.assertEqual(self.snapshot(), before)

    def test_an_activity_of_another_kampung_is_404_under_this_kampung(self):
        self.client.force_login(self.staf)  # may edit both kampung
        before = self.snapshot()
        for action in ("ubah", "hapus"):
            url = A + f"kegiatan/{self.other_activity.pk}/{action}/"
            with self.subTest(action=action):
                self.assertEqual(self.client.get(url).status_code, 404)
                self.assertEqual(self.client.post(url, self.activity_data()).status_code, 404)
        self.assertEqual(self.snapshot(), before)
        # Under its own kampung the same activity opens.
        url = B + f"kegiatan/{self.other_activity.pk}/ubah/"
        self.assertEqual(self.client.get(url).status_code, 200)


# --------------------------------------------------------------------------------------------
# Thematic programme tags
# --------------------------------------------------------------------------------------------


class ProgramPageTests(RecordPagesTestCase):
    def test_adding_a_tag(self):
        self.client.force_login(self.pokja_a)
        response = self.client.post(A + "program/", self.tag_data(), follow=True)
        self.assertSavedWithMessage(
            response, A + "program/", "Program Desa Ramah Perempuan dan Peduli Anak ditambahkan."
        )
        tag = KampungProgram.objects.get(kampung=self.kampung, program=self.drppa)
        self.assertEqual((tag.since, tag.status), (datetime.date(2025, 8, 17), "aktif"))

    def test_editing_a_tag(self):
        self.client.force_login(self.staf)
        url = A + f"program/{self.tag.pk}/ubah/"
        response = self.client.post(
            url, self.tag_data(program=str(self.bersinar.pk), status="berhenti"), follow=True
        )
        self.assertSavedWithMessage(
            response, A + "program/", "Program Kampung Bersinar diperbarui."
        )
        self.tag.refresh_from_db()
        self.assertEqual(self.tag.status, "berhenti")

    def test_deleting_a_tag_asks_first_then_deletes(self):
        self.client.force_login(self.pokja_a)
        url = A + f"program/{self.tag.pk}/hapus/"
        self.assertContains(self.client.get(url), "Kampung Bersinar")
        self.assertTrue(KampungProgram.objects.filter(pk=self.tag.pk).exists())
        response = self.client.post(url, follow=True)
        self.assertSavedWithMessage(response, A + "program/", "Program Kampung Bersinar dihapus.")
        self.assertFalse(KampungProgram.objects.filter(pk=self.tag.pk).exists())
        self.assertTrue(KampungProgram.objects.filter(pk=self.other_tag.pk).exists())

    def test_each_bad_value_is_shown_on_the_page_and_nothing_is_saved(self):
        retired = ThematicProgram.objects.create(name="Desa Sadar Jaminan", is_active=False)
        cases = [
            (
                {"program": str(self.bersinar.pk)},
                "program",
                "Kampung ini sudah ditandai dengan program Kampung Bersinar.",
            ),
            (
                {"program": str(retired.pk)},
                "program",
                "Masukkan pilihan yang valid. Pilihan tersebut bukan salah satu dari pilihan "
                "yang tersedia.",
            ),
            ({"since": "2015-12-31"}, "since", "Tanggal tidak boleh sebelum 1 Januari 2016."),
            ({"since": tomorrow()}, "since", "Tanggal tidak boleh di masa depan."),
        ]
        self.client.force_login(self.pokja_a)
        before = self.snapshot()
        for changes, field, message in cases:
            with self.subTest(changes=changes):
                response = self.client.post(A + "program/", self.tag_data(**changes))
                self.assertRefused(response, field, message)
                self.assertEqual(self.snapshot(), before)
        # The edit page refuses the same dates.
        url = A + f"program/{self.tag.pk}/ubah/"
        response = self.client.post(
            url, self.tag_data(program=str(self.bersinar.pk), since="2015-06-01")
        )
        self.assertRefused(response, "since", "Tanggal tidak boleh sebelum 1 Januari 2016.")
        self.assertEqual(self.snapshot(), before)

    def test_a_tag_of_another_kampung_is_404_under_this_kampung(self):
        self.client.force_login(self.staf)
        before = self.snapshot()
        for action in ("ubah", "hapus"):
            url = A + f"program/{self.other_tag.pk}/{action}/"
            with self.subTest(action=action):
                self.assertEqual(self.client.get(url).status_code, 404)
                self.assertEqual(self.client.post(url, self.tag_data()).status_code, 404)
        self.assertEqual(self.snapshot(), before)


# --------------------------------------------------------------------------------------------
# Public page
# --------------------------------------------------------------------------------------------

SECRET_NOTE = "Ketua Pokja Ibu Rina Marlina, HP 0812-5555-0199, minta verifikasi ulang."


class PublicKampungPageTests(RecordPagesTestCase):
    url = f"/publik/kampung/{KAMPUNG_A}/"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.staf.first_name, cls.staf.last_name = "Sri", "Wahyuningsih"
        cls.staf.save()
        cls.pokja_a.first_name, cls.pokja_a.last_name = "Rina", "Marlina"
        cls.pokja_a.save()
        kampung_set_level(
            kampung=cls.kampung,
            level=ClassificationLevel.objects.get(code="mandiri"),
            effective_date=datetime.date(2026, 2, 10),
            source=LevelChange.Source.VERIFICATION,
            by=cls.staf,
            note=SECRET_NOTE,
        )
        profile_create(
            kampung=cls.kampung,
            by=cls.pokja_a,
            pokja_exists=True,
            pokja_members=11,
            has_pendamping=True,
            pendamping_nama="Bapak Ahmad Fauzi (PKB)",
        )
        activity_save(
            activity=Activity(
                kampung=cls.kampung,
                date=datetime.date(2026, 2, 1),
                title="Posyandu remaja",
                description="Hubungi Rina di 0812-5555-0199.",
                place="Rumah Ibu Rina Marlina",
                category="reproduksi",
            ),
            by=cls.pokja_a,
        )
        Kampung.objects.filter(pk=cls.kampung.pk).update(
            nama_kampung="Kampung KB Tabanio Bahari", gambaran_umum="Desa nelayan di pesisir."
        )

    def test_anonymous_reads_the_kampung_its_level_programmes_and_activities(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<h1>Kampung KB Tabanio Bahari</h1>", html=True)
        self.assertContains(response, "<dt>Desa</dt><dd>Tabanio</dd>", html=True)
        self.assertContains(response, "<dt>Kecamatan</dt><dd>Takisung</dd>", html=True)
        self.assertRegex(
            response.content.decode(),
            r'data-testid="official-level"><span class="badge"[^>]*>Mandiri</span>',
        )
        self.assertContains(response, "Desa nelayan di pesisir.")
        self.assertContains(response, "Kampung Bersinar")
        self.assertContains(response, "Posyandu remaja")
        self.assertContains(response, "Pertemuan BKB: pengasuhan balita")

    def test_no_personal_data_on_the_page(self):
        for user in (None, self.staf):
            with self.subTest(user=user and user.username):
                if user:
                    self.client.force_login(user)
                html = self.client.get(self.url).content.decode()
                for secret in (
                    SECRET_NOTE,
                    "Rina",
                    "Marlina",
                    "0812-5555-0199",
                    "Wahyuningsih",
                    "Ahmad Fauzi",
                    "pokja_a",
                    "pokja_b",
                ):
                    self.assertNotIn(secret, html)
                if user is None:
                    self.assertNotRegex(html, r"\bstaf\b")

    def test_unknown_or_inactive_kampung_is_404(self):
        self.assertEqual(self.client.get("/publik/kampung/63.01.01.9999/").status_code, 404)
        Kampung.objects.filter(pk=self.other.pk).update(is_active=False)
        self.assertEqual(self.client.get(f"/publik/kampung/{KAMPUNG_B}/").status_code, 404)


# --------------------------------------------------------------------------------------------
# Who may open what
# --------------------------------------------------------------------------------------------


class RecordPagePermissionTests(RecordPagesTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.profile = profile_create(kampung=cls.kampung, by=cls.pokja_a, pokja_exists=True)
        figures_create(kampung=cls.kampung, by=cls.pokja_a, period=datetime.date(2026, 1, 1))

    def read_urls(self) -> list[str]:
        return [
            A,
            A + "profil/",
            A + f"profil/?versi={self.profile.pk}",
            A + "angka/",
            A + "angka/?periode=2026-01",
            A + "kegiatan/",
            A + "program/",
        ]

    def edit_requests(self) -> list[tuple[str, dict]]:
        """Every edit page with a POST that would save if it were allowed."""
        return [
            (A + "ubah/", {**IDENTITY, "nama_kampung": "Kampung KB Diubah"}),
            (A + "profil/ubah/", PROFILE),
            (A + "angka/tambah/", FIGURES),
            (A + "kegiatan/tambah/", self.activity_data()),
            (A + f"kegiatan/{self.activity.pk}/ubah/", self.activity_data(title="Diubah")),
            (A + f"kegiatan/{self.activity.pk}/hapus/", {}),
            (A + "program/", self.tag_data()),
            (A + f"program/{self.tag.pk}/ubah/", self.tag_data(program=str(self.bersinar.pk))),
            (A + f"program/{self.tag.pk}/hapus/", {}),
        ]

    def assertStatus(self, method: str, url: str, expected: int, data=None):
        response = getattr(self.client, method)(url, data or {})
        self.assertEqual(response.status_code, expected, f"{method.upper()} {url}")
        return response

    def test_anonymous_is_sent_to_login_everywhere_but_the_public_page(self):
        before = self.snapshot()
        for url in self.read_urls():
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertRedirects(response, login_url(url), fetch_redirect_response=False)
        for url, data in self.edit_requests():
            with self.subTest(url=url):
                for response in (self.client.get(url), self.client.post(url, data)):
                    self.assertRedirects(response, login_url(url), fetch_redirect_response=False)
        self.assertEqual(self.snapshot(), before)
        self.assertStatus("get", f"/publik/kampung/{KAMPUNG_A}/", 200)

    def test_own_pokja_and_district_staff_open_every_page(self):
        for user in (self.pokja_a, self.staf):
            self.client.force_login(user)
            for url in self.read_urls() + [url for url, _ in self.edit_requests()]:
                with self.subTest(user=user.username, url=url):
                    self.assertStatus("get", url, 200)

    def test_pokja_of_another_kampung_and_reviewer_read_but_cannot_edit(self):
        before = self.snapshot()
        for user in (self.pokja_b, self.peninjau):
            self.client.force_login(user)
            for url in self.read_urls():
                with self.subTest(user=user.username, url=url):
                    response = self.assertStatus("get", url, 200)
                    self.assertFalse(response.context["can_edit"])
            for url, data in self.edit_requests():
                with self.subTest(user=user.username, url=url):
                    if not url.endswith("/program/"):  # its GET is the (read-only) list
                        self.assertStatus("get", url, 403)
                    self.assertStatus("post", url, 403, data)
        self.assertEqual(self.snapshot(), before)

    def test_read_only_people_see_no_edit_buttons(self):
        self.client.force_login(self.peninjau)
        response = self.client.get(A + "program/")
        self.assertNotContains(response, "Tambah program")
        self.assertNotContains(response, f"program/{self.tag.pk}/hapus/")
        response = self.client.get(A)
        self.assertNotContains(response, "Ubah identitas")
        self.assertNotContains(response, A + "kegiatan/tambah/")

    def test_staff_of_another_kabupaten_gets_404_everywhere(self):
        self.client.force_login(self.staf_lain)
        before = self.snapshot()
        for url in self.read_urls():
            with self.subTest(url=url):
                self.assertStatus("get", url, 404)
        for url, data in self.edit_requests():
            with self.subTest(url=url):
                self.assertStatus("get", url, 404)
                self.assertStatus("post", url, 404, data)
        self.assertEqual(self.snapshot(), before)
        # The public page is public for them too.
        self.assertStatus("get", f"/publik/kampung/{KAMPUNG_A}/", 200)


# --------------------------------------------------------------------------------------------
# Query counts
# --------------------------------------------------------------------------------------------


class RecordPageQueryCountTests(RecordPagesTestCase):
    """Tabanio starts with 1 activity and 1 tag (set-up); tests add 9 activities and 2 tags."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        profile_create(kampung=cls.kampung, by=cls.pokja_a, pokja_exists=True)
        figures_create(kampung=cls.kampung, by=cls.pokja_a, period=datetime.date(2026, 1, 1))

    def add_records(self):
        for day in range(1, 10):
            activity_save(
                activity=Activity(
                    kampung=self.kampung,
                    date=datetime.date(2026, 2, day),
                    title=f"Kegiatan ke-{day}",
                    category="lainnya",
                    program=self.bersinar,
                ),
                by=self.pokja_a,
                agencies=[self.puskesmas, self.bnn],
            )
        for program in (self.drppa, self.pemuda):
            kampung_program_save(
                tag=KampungProgram(
                    kampung=self.kampung, program=program, since=datetime.date(2025, 1, 1)
                ),
                by=self.staf,
            )
        for month in range(2, 11):
            figures_create(
                kampung=self.kampung, by=self.pokja_a, period=datetime.date(2025, month, 1)
            )

    def count_queries(self, url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(queries.captured_queries)

    def test_detail_page_query_count_is_the_same_with_1_and_10_activities_and_tags(self):
        self.client.force_login(self.staf)
        with self.assertNumQueries(DETAIL_QUERIES_WITH_RECORDS):
            one = self.client.get(A)
        self.assertEqual(len(one.context["activities"]), 1)
        self.assertEqual(len(one.context["program_tags"]), 1)
        self.add_records()
        with self.assertNumQueries(DETAIL_QUERIES_WITH_RECORDS):
            ten = self.client.get(A)
        self.assertEqual(Activity.objects.filter(kampung=self.kampung).count(), 10)
        self.assertEqual(len(ten.context["activities"]), 5)  # the five most recent
        self.assertEqual(len(ten.context["program_tags"]), 3)
        self.assertContains(ten, "Instansi: BNN, Puskesmas", count=5)

    def test_activity_figures_and_programme_pages_do_not_grow_with_their_rows(self):
        self.client.force_login(self.pokja_a)
        urls = (A + "kegiatan/", A + "angka/", A + "program/")
        before = {url: self.count_queries(url) for url in urls}
        self.add_records()
        after = {url: self.count_queries(url) for url in urls}
        self.assertEqual(after, before)
        self.assertContains(self.client.get(A + "kegiatan/"), "10 kegiatan")
        figures_page = self.client.get(A + "angka/").content.decode()
        self.assertEqual(len(re.findall(r'<th scope="row"', figures_page)), 10)
