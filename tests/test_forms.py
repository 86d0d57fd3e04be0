"""Every validation rule of the record forms: the exact Indonesian message, on its own field.

Forms get a fixed ``today`` (15 March 2026), so "not in the future" rules do not depend on the day
the suite runs. Each refusal checks ``form.errors`` as a whole: the message is on the right field
and nothing else is reported.
"""

import datetime
import io
import random
from decimal import Decimal

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from PIL import Image

from classification.forms.records import (
    ActivityForm,
    FiguresForm,
    KampungIdentityForm,
    KampungProgramForm,
    ProfileForm,
)
from classification.models import (
    Activity,
    Agency,
    Kampung,
    KampungFigures,
    KampungProfile,
    KampungProgram,
    ThematicProgram,
)
from classification.rules.figures import FIGURE_COUNT_FIELDS
from tests.base import KAMPUNG_A, KAMPUNG_B
from tests.records import FIGURES_FORM as FIGURES
from tests.records import PROFILE_FORM as PROFILE

TODAY = datetime.date(2026, 3, 15)
NEGATIVE = "Angka tidak boleh negatif."
NOT_A_PHOTO = "Foto harus berupa berkas JPG, PNG, atau WebP."
NOT_AN_IMAGE = "Berkas ini bukan gambar atau gambarnya rusak. Unggah foto JPG, PNG, atau WebP."
TOO_BIG = "Ukuran foto paling besar 5 MB."
RETIRED_CHOICE = (
    "Masukkan pilihan yang valid. Pilihan tersebut bukan salah satu dari pilihan yang tersedia."
)


def required() -> str:
    """The "required" message as shown: Django's Indonesian catalogue says "Bidang ini tidak boleh
    kosong.", Django REST framework's (listed first in INSTALLED_APPS) "Bidang ini harus diisi."."""
    return str(forms.Field.default_error_messages["required"])


def invalid_choice(value: str) -> str:
    return f"Masukkan pilihan yang valid. {value} bukan salah satu dari pilihan yang tersedia."


def image_bytes(image_format: str, size: tuple[int, int] = (8, 6)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 120, 60)).save(buffer, image_format)
    return buffer.getvalue()


def big_png_bytes() -> bytes:
    """A real PNG of about 5.9 MB: 1,400 × 1,400 pixels of noise, stored uncompressed."""
    side = 1400
    noise = random.Random(2026).randbytes(side * side * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), noise).save(buffer, "PNG", compress_level=0)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


class FormTestCase(TestCase):
    def assertOnlyError(self, form, field: str, message: str):
        self.assertFalse(form.is_valid())
        self.assertEqual(form.errors, {field: [message]})

    def assertValid(self, form):
        self.assertTrue(form.is_valid(), form.errors.as_data())


# --------------------------------------------------------------------------------------------
# Identity
# --------------------------------------------------------------------------------------------

IDENTITY = {
    "nama_kampung": "Kampung KB Tabanio Sejahtera",
    "tanggal_pencanangan": "2017-05-20",
    "gambaran_umum": "Desa pesisir di muara Sungai Tabanio.",
    "cakupan_wilayah": "Seluruh desa",
    "latitude": "-3,80512",
    "longitude": "114,77231",
}


class KampungIdentityFormTests(FormTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.kampung = Kampung.objects.get(desa_kode=KAMPUNG_A)
        cls.big_png = big_png_bytes()

    def form(self, data=None, files=None, instance=None, **changes):
        data = {**IDENTITY, **(data or {}), **changes}
        return KampungIdentityForm(
            data, files or {}, instance=instance or self.kampung, today=TODAY
        )

    def test_valid_identity_gives_the_cleaned_values_for_the_service(self):
        form = self.form()
        self.assertValid(form)
        self.assertEqual(
            form.identity_fields(),
            {
                "nama_kampung": "Kampung KB Tabanio Sejahtera",
                "tanggal_pencanangan": datetime.date(2017, 5, 20),
                "gambaran_umum": "Desa pesisir di muara Sungai Tabanio.",
                "cakupan_wilayah": "Seluruh desa",
                "latitude": Decimal("-3.80512"),
                "longitude": Decimal("114.77231"),
            },
        )

    def test_coordinates_accept_a_decimal_point_or_a_decimal_comma(self):
        for latitude, longitude in (("-3.80512", "114.77231"), ("-3,80512", "114,77231")):
            with self.subTest(latitude=latitude):
                form = self.form(latitude=latitude, longitude=longitude)
                self.assertValid(form)
                self.assertEqual(str(form.cleaned_data["latitude"]), "-3.80512")
                self.assertEqual(str(form.cleaned_data["longitude"]), "114.77231")

    def test_everything_may_be_left_empty(self):
        form = KampungIdentityForm({}, {}, instance=self.kampung, today=TODAY)
        self.assertValid(form)
        self.assertEqual(form.identity_fields()["latitude"], None)
        self.assertNotIn("photo", form.identity_fields())

    def test_edges_of_the_allowed_ranges_are_accepted(self):
        for changes in (
            {"tanggal_pencanangan": "2016-01-01"},
            {"tanggal_pencanangan": TODAY.isoformat()},
            {"latitude": "-11", "longitude": "94"},
            {"latitude": "6", "longitude": "142"},
        ):
            with self.subTest(**changes):
                self.assertValid(self.form(**changes))

    def test_each_bad_value_is_refused_with_its_message_on_its_field(self):
        cases = [
            (
                "tanggal_pencanangan",
                "2015-12-31",
                "Tanggal pencanangan tidak boleh sebelum 1 Januari 2016.",
            ),
            ("tanggal_pencanangan", "2026-03-16", "Tanggal pencanangan tidak boleh di masa depan."),
            ("tanggal_pencanangan", "kemarin", "Masukkan tanggal yang valid."),
            ("latitude", "-11,00001", "Lintang harus antara -11 dan 6 (wilayah Indonesia)."),
            ("latitude", "6.5", "Lintang harus antara -11 dan 6 (wilayah Indonesia)."),
            ("latitude", "114,77231", "Lintang harus antara -11 dan 6 (wilayah Indonesia)."),
            ("longitude", "93,99999", "Bujur harus antara 94 dan 142 (wilayah Indonesia)."),
            ("longitude", "142,00001", "Bujur harus antara 94 dan 142 (wilayah Indonesia)."),
            ("longitude", "-3,80512", "Bujur harus antara 94 dan 142 (wilayah Indonesia)."),
            ("latitude", "tiga koma delapan", "Masukkan sebuah bilangan."),
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
            (
                "cakupan_wilayah",
                "R" * 201,
                "Pastikan nilai ini mengandung paling banyak 200 karakter (sekarang 201 karakter).",
            ),
        ]
        for field, value, message in cases:
            with self.subTest(field=field, value=value):
                self.assertOnlyError(self.form(**{field: value}), field, message)

    def test_png_jpeg_and_webp_photos_are_accepted_and_handed_to_the_service(self):
        for name, image_format in (
            ("balai.png", "PNG"),
            ("balai.jpg", "JPEG"),
            ("balai.jpeg", "JPEG"),
            ("balai.webp", "WEBP"),
        ):
            with self.subTest(name=name):
                photo = upload(name, image_bytes(image_format))
                form = self.form(files={"photo": photo})
                self.assertValid(form)
                self.assertIs(form.identity_fields()["photo"], photo)

    def test_each_bad_photo_is_refused_with_its_message(self):
        cases = [
            # Not an image at all, whatever its name says.
            ("foto.jpg", b"Ini bukan foto, hanya teks.", NOT_AN_IMAGE),
            # A real image in a format we do not take, renamed .jpg: read from the content.
            ("foto.jpg", image_bytes("GIF"), NOT_A_PHOTO),
            ("foto.bmp", image_bytes("BMP"), NOT_A_PHOTO),
            # A real PNG whose name is not .jpg/.jpeg/.png/.webp.
            ("foto.gif", image_bytes("PNG"), NOT_A_PHOTO),
            # A real PNG above 5 MB.
            ("foto-besar.png", self.big_png, TOO_BIG),
        ]
        for name, content, message in cases:
            with self.subTest(name=name, size=len(content)):
                form = self.form(files={"photo": upload(name, content)})
                self.assertOnlyError(form, "photo", message)

    def test_big_photo_fixture_is_really_above_5_mb_and_a_valid_png(self):
        # Guards the size test above: it must fail on size, not on a broken image.
        self.assertGreater(len(self.big_png), 5 * 1024 * 1024)
        self.assertEqual(Image.open(io.BytesIO(self.big_png)).format, "PNG")

    def test_real_image_with_a_non_image_extension_is_refused(self):
        form = self.form(files={"photo": upload("foto.txt", image_bytes("PNG"))})
        self.assertFalse(form.is_valid())
        self.assertEqual(list(form.errors), ["photo"])
        # Django's own message for an extension Pillow does not know; it lists every one it does.
        (message,) = form.errors["photo"]
        self.assertTrue(message.startswith("Ekstensi berkas “txt” tidak diizinkan."), message)

    def test_remove_photo_is_offered_only_when_there_is_a_photo(self):
        self.assertNotIn("remove_photo", self.form().fields)
        with_photo = Kampung.objects.get(pk=self.kampung.pk)
        with_photo.photo = "kampung/2026/tabanio.png"
        self.assertIn("remove_photo", self.form(instance=with_photo).fields)

    def test_removing_the_photo_hands_an_empty_photo_to_the_service(self):
        with_photo = Kampung.objects.get(pk=self.kampung.pk)
        with_photo.photo = "kampung/2026/tabanio.png"
        form = self.form(instance=with_photo, remove_photo="on")
        self.assertValid(form)
        self.assertEqual(form.identity_fields()["photo"], "")

    def test_an_unchanged_photo_is_left_out(self):
        with_photo = Kampung.objects.get(pk=self.kampung.pk)
        with_photo.photo = "kampung/2026/tabanio.png"
        form = self.form(instance=with_photo)
        self.assertValid(form)
        self.assertNotIn("photo", form.identity_fields())

    def test_uploading_and_removing_at_once_is_refused_on_the_remove_box(self):
        with_photo = Kampung.objects.get(pk=self.kampung.pk)
        with_photo.photo = "kampung/2026/tabanio.png"
        form = self.form(
            instance=with_photo,
            remove_photo="on",
            files={"photo": upload("baru.png", image_bytes("PNG"))},
        )
        self.assertOnlyError(
            form,
            "remove_photo",
            "Pilih salah satu: unggah foto baru atau hapus foto yang sekarang.",
        )


# --------------------------------------------------------------------------------------------
# Profile
# --------------------------------------------------------------------------------------------


class ProfileFormTests(FormTestCase):
    def form(self, data=None, *, drop=(), **changes):
        data = {**PROFILE, **(data or {}), **changes}
        for name in drop:
            data.pop(name)
        return ProfileForm(data, today=TODAY)

    def test_valid_profile_gives_the_cleaned_values_for_the_service(self):
        form = self.form()
        self.assertValid(form)
        fields = form.profile_fields()
        self.assertEqual(fields["pokja_members"], 11)
        self.assertEqual(fields["pokja_members_trained"], 4)
        self.assertEqual(fields["pokja_sk_tanggal"], datetime.date(2020, 2, 3))
        self.assertEqual(fields["funding_sources"], ["dana_desa", "apbd"])
        self.assertIs(fields["has_rumah_dataku"], False)
        self.assertEqual(
            fields["mechanisms"],
            {
                "rapat_perencanaan": "tahunan",
                "rakor_opd": "tidak",
                "sosialisasi": "bulanan",
                "monev": "triwulanan",
                "laporan": "bulanan",
            },
        )
        self.assertNotIn("mechanism_monev", fields)

    def test_edges_are_accepted(self):
        for changes in (
            {"pokja_members_trained": "11"},  # everyone trained
            {"pokja_sk_tanggal": TODAY.isoformat()},
            {"pokja_exists": "", "pokja_members": "0", "pokja_members_trained": "0"},
            {"funding_sources": [], "poktan_present": [], "data_sources": []},
        ):
            with self.subTest(**{k: str(v) for k, v in changes.items()}):
                self.assertValid(self.form(**changes))

    def test_each_bad_value_is_refused_with_its_message_on_its_field(self):
        cases = [
            ("pokja_members", "-1", NEGATIVE),
            ("pokja_members_trained", "-1", NEGATIVE),
            ("pokja_members", "sebelas", "Masukkan keseluruhan angka bilangan."),
            ("pokja_sk_tanggal", "2026-03-16", "Tanggal SK tidak boleh di masa depan."),
            ("funding_sources", ["bank_dunia"], invalid_choice("bank_dunia")),
            ("poktan_present", ["posyandu"], invalid_choice("posyandu")),
            ("data_sources", ["media_sosial"], invalid_choice("media_sosial")),
            ("mechanism_monev", "mingguan", invalid_choice("mingguan")),
            (
                "pendamping_nama",
                "N" * 101,
                "Pastikan nilai ini mengandung paling banyak 100 karakter (sekarang 101 karakter).",
            ),
        ]
        for field, value, message in cases:
            with self.subTest(field=field, value=value):
                self.assertOnlyError(self.form(**{field: value}), field, message)

    def test_missing_counts_and_frequencies_are_required(self):
        self.assertIn(required(), ("Bidang ini tidak boleh kosong.", "Bidang ini harus diisi."))
        for field in ("pokja_members", "pokja_members_trained", "mechanism_laporan"):
            with self.subTest(field=field):
                self.assertOnlyError(self.form(drop=[field]), field, required())

    def test_members_without_a_pokja_are_refused_on_the_member_count(self):
        form = self.form(drop=["pokja_exists"])
        self.assertOnlyError(form, "pokja_members", "Pokja belum dibentuk: jumlah anggota harus 0.")

    def test_more_trained_than_members_is_refused_on_the_trained_count(self):
        form = self.form(pokja_members_trained="12")
        self.assertOnlyError(
            form,
            "pokja_members_trained",
            "Anggota terlatih (12) tidak boleh melebihi jumlah anggota Pokja (11).",
        )

    def test_trained_without_a_pokja_gives_the_trained_message(self):
        form = self.form(drop=["pokja_exists"], pokja_members="0", pokja_members_trained="2")
        self.assertOnlyError(
            form,
            "pokja_members_trained",
            "Anggota terlatih (2) tidak boleh melebihi jumlah anggota Pokja (0).",
        )

    def test_a_new_version_opens_on_the_previous_answers(self):
        previous = KampungProfile(
            pokja_exists=True,
            pokja_members=15,
            pokja_members_trained=6,
            funding_sources=["apbn", "csr"],
            mechanisms={"monev": "semesteran", "laporan": "bulanan"},
        )
        form = ProfileForm(previous=previous, today=TODAY)
        self.assertEqual(form["pokja_members"].value(), 15)
        self.assertEqual(form["funding_sources"].value(), ["apbn", "csr"])
        self.assertEqual(form["mechanism_monev"].value(), "semesteran")
        # A mechanism the previous version did not mention opens as "not held".
        self.assertEqual(form["mechanism_rakor_opd"].value(), "tidak")


# --------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------


class FiguresFormTests(FormTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.kampung = Kampung.objects.get(desa_kode=KAMPUNG_A)
        cls.other = Kampung.objects.get(desa_kode=KAMPUNG_B)
        KampungFigures.objects.create(kampung=cls.kampung, period=datetime.date(2026, 1, 1))

    def form(self, kampung=None, **changes):
        return FiguresForm({**FIGURES, **changes}, kampung=kampung or self.kampung, today=TODAY)

    def test_valid_figures_give_the_cleaned_values_with_the_month_s_first_day(self):
        form = self.form()
        self.assertValid(form)
        fields = form.figures_fields()
        self.assertEqual(fields["period"], datetime.date(2026, 2, 1))
        self.assertEqual(fields["pus"], 100)
        self.assertEqual(set(fields), set(FIGURES))  # the period and every count posted

    def test_edges_are_accepted(self):
        zeros = dict.fromkeys(FIGURE_COUNT_FIELDS, "0")
        for changes in (
            {"period": "2026-03"},  # the current month
            {"period": "2016-01"},
            zeros,  # a kampung with nothing counted yet
            # Participants equal to their target groups, family subsets equal to all families.
            {
                "participants_bkb": "60",
                "participants_uppka": "200",
                "participants_pikr": "80",
                "families_with_lansia": "200",
            },
        ):
            with self.subTest(changes=sorted(changes)[:3]):
                self.assertValid(self.form(**changes))

    def test_bad_months_are_refused(self):
        cases = [
            ("Februari 2026", "Masukkan bulan dengan format TTTT-BB, misalnya 2026-03."),
            ("2026-13", "Masukkan bulan dengan format TTTT-BB, misalnya 2026-03."),
            ("2026-02-01", "Masukkan bulan dengan format TTTT-BB, misalnya 2026-03."),
            ("", required()),
            ("2026-04", "Periode tidak boleh di masa depan."),
            ("2026-01", "Angka untuk periode Januari 2026 sudah ada."),
        ]
        for value, message in cases:
            with self.subTest(period=value):
                self.assertOnlyError(self.form(period=value), "period", message)

    def test_the_same_month_of_another_kampung_is_free(self):
        self.assertValid(self.form(kampung=self.other, period="2026-01"))

    def test_every_count_refuses_a_negative_number(self):
        for field in FIGURE_COUNT_FIELDS:
            with self.subTest(field=field):
                self.assertOnlyError(self.form(**{field: "-1"}), field, NEGATIVE)

    def test_every_count_is_required_and_whole(self):
        for field in ("families", "users_pil", "not_using_hamil"):
            with self.subTest(field=field):
                self.assertOnlyError(self.form(**{field: ""}), field, required())
                self.assertOnlyError(
                    self.form(**{field: "12,5"}), field, "Masukkan keseluruhan angka bilangan."
                )

    def test_participants_above_their_target_group_are_refused_on_the_poktan(self):
        cases = [
            ("participants_bkb", "61", "Peserta BKB (61) melebihi keluarga dengan balita (60)."),
            ("participants_bkr", "51", "Peserta BKR (51) melebihi keluarga dengan remaja (50)."),
            ("participants_bkl", "41", "Peserta BKL (41) melebihi keluarga dengan lansia (40)."),
            ("participants_uppka", "201", "Peserta UPPKA (201) melebihi jumlah keluarga (200)."),
            ("participants_pikr", "81", "Peserta PIK-R (81) melebihi jumlah remaja (80)."),
        ]
        for field, value, message in cases:
            with self.subTest(field=field):
                self.assertOnlyError(self.form(**{field: value}), field, message)

    def test_family_groups_above_all_families_are_refused_on_the_group(self):
        cases = [
            (
                "families_with_balita",
                "Keluarga dengan balita (201) melebihi jumlah keluarga (200).",
            ),
            (
                "families_with_remaja",
                "Keluarga dengan remaja (201) melebihi jumlah keluarga (200).",
            ),
            (
                "families_with_lansia",
                "Keluarga dengan lansia (201) melebihi jumlah keluarga (200).",
            ),
        ]
        for field, message in cases:
            with self.subTest(field=field):
                self.assertOnlyError(self.form(**{field: "201"}), field, message)

    def test_users_plus_non_users_must_equal_pus(self):
        cases = [
            (
                {"pus": "101"},
                "Peserta KB (55) + PUS bukan peserta KB (45) = 100, tidak sama dengan PUS (101).",
            ),
            (
                {"users_pil": "16"},
                "Peserta KB (56) + PUS bukan peserta KB (45) = 101, tidak sama dengan PUS (100).",
            ),
            (
                {"not_using_hamil": "19"},
                "Peserta KB (55) + PUS bukan peserta KB (44) = 99, tidak sama dengan PUS (100).",
            ),
        ]
        for changes, message in cases:
            with self.subTest(**changes):
                self.assertOnlyError(self.form(**changes), "pus", message)

    def test_unbound_form_opens_on_the_current_month(self):
        form = FiguresForm(kampung=self.kampung, today=TODAY)
        self.assertEqual(form["period"].value(), datetime.date(2026, 3, 1))
        self.assertIn('value="2026-03"', str(form["period"]))


# --------------------------------------------------------------------------------------------
# Activities
# --------------------------------------------------------------------------------------------


class ActivityFormTests(FormTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.kampung = Kampung.objects.get(desa_kode=KAMPUNG_A)
        cls.puskesmas = Agency.objects.get(name="Puskesmas")
        cls.bnn = Agency.objects.get(name="BNN")
        cls.bersinar = ThematicProgram.objects.get(name="Kampung Bersinar")
        cls.retired = ThematicProgram.objects.create(name="Desa Sadar Jaminan", is_active=False)

    def data(self, **changes):
        return {
            "date": "2026-03-10",
            "title": "Penyuluhan bahaya narkoba bagi remaja",
            "place": "Balai Desa Tabanio",
            "description": "Bersama BNN dan Puskesmas.",
            "category": "perlindungan",
            "target_groups": ["remaja"],
            "agencies": [str(self.puskesmas.pk), str(self.bnn.pk)],
            "program": str(self.bersinar.pk),
            **changes,
        }

    def form(self, instance=None, **changes):
        instance = instance or Activity(kampung=self.kampung)
        return ActivityForm(self.data(**changes), instance=instance, today=TODAY)

    def test_valid_activity_fills_its_instance_and_lists_its_agencies(self):
        form = self.form()
        self.assertValid(form)
        self.assertEqual(form.instance.date, datetime.date(2026, 3, 10))
        self.assertEqual(form.instance.category, "perlindungan")
        self.assertEqual(form.instance.target_groups, ["remaja"])
        self.assertEqual(form.instance.program, self.bersinar)
        self.assertEqual(set(form.cleaned_data["agencies"]), {self.puskesmas, self.bnn})

    def test_minimal_activity_and_today_are_accepted(self):
        form = self.form(
            date=TODAY.isoformat(),
            place="",
            description="",
            target_groups=[],
            agencies=[],
            program="",
        )
        self.assertValid(form)
        self.assertIsNone(form.instance.program)

    def test_each_bad_value_is_refused_with_its_message_on_its_field(self):
        cases = [
            ("date", "2026-03-16", "Tanggal kegiatan tidak boleh di masa depan."),
            ("date", "", required()),
            ("date", "minggu lalu", "Masukkan tanggal yang valid."),
            ("title", "", required()),
            (
                "title",
                "J" * 201,
                "Pastikan nilai ini mengandung paling banyak 200 karakter (sekarang 201 karakter).",
            ),
            ("category", "", required()),
            ("category", "olahraga", invalid_choice("olahraga")),
            ("target_groups", ["bayi"], invalid_choice("bayi")),
            ("agencies", ["999999"], invalid_choice("999999")),
            ("program", "999999", RETIRED_CHOICE),
        ]
        for field, value, message in cases:
            with self.subTest(field=field, value=value):
                self.assertOnlyError(self.form(**{field: value}), field, message)

    def test_a_retired_programme_cannot_be_chosen_for_a_new_activity(self):
        form = self.form(program=str(self.retired.pk))
        self.assertOnlyError(form, "program", RETIRED_CHOICE)
        self.assertNotIn(self.retired, form.fields["program"].queryset)

    def test_an_activity_already_in_a_retired_programme_keeps_it_when_edited(self):
        activity = Activity.objects.create(
            kampung=self.kampung,
            date=datetime.date(2025, 6, 1),
            title="Sosialisasi jaminan sosial",
            category="lainnya",
            program=self.retired,
        )
        form = self.form(instance=activity, program=str(self.retired.pk))
        self.assertValid(form)
        self.assertEqual(form.instance.program, self.retired)


# --------------------------------------------------------------------------------------------
# Thematic programme tags
# --------------------------------------------------------------------------------------------


class KampungProgramFormTests(FormTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.kampung = Kampung.objects.get(desa_kode=KAMPUNG_A)
        cls.other = Kampung.objects.get(desa_kode=KAMPUNG_B)
        cls.bersinar = ThematicProgram.objects.get(name="Kampung Bersinar")
        cls.drppa = ThematicProgram.objects.get(name="Desa Ramah Perempuan dan Peduli Anak")
        cls.retired = ThematicProgram.objects.create(name="Desa Sadar Jaminan", is_active=False)
        cls.tag = KampungProgram.objects.create(
            kampung=cls.kampung, program=cls.bersinar, since=datetime.date(2024, 5, 1)
        )

    def form(self, *, kampung=None, instance=None, **changes):
        data = {"program": str(self.drppa.pk), "since": "2025-08-17", "status": "aktif", **changes}
        return KampungProgramForm(
            data, kampung=kampung or self.kampung, instance=instance, today=TODAY
        )

    def test_valid_tag_is_for_this_kampung(self):
        form = self.form()
        self.assertValid(form)
        self.assertEqual(form.instance.kampung, self.kampung)
        self.assertEqual(form.instance.program, self.drppa)
        self.assertEqual(form.instance.since, datetime.date(2025, 8, 17))

    def test_edges_are_accepted(self):
        for since in ("2016-01-01", TODAY.isoformat()):
            with self.subTest(since=since):
                self.assertValid(self.form(since=since))

    def test_each_bad_value_is_refused_with_its_message_on_its_field(self):
        cases = [
            (
                "program",
                str(self.bersinar.pk),
                "Kampung ini sudah ditandai dengan program Kampung Bersinar.",
            ),
            ("program", "", required()),
            ("program", str(self.retired.pk), RETIRED_CHOICE),
            ("since", "2015-12-31", "Tanggal tidak boleh sebelum 1 Januari 2016."),
            ("since", "2026-03-16", "Tanggal tidak boleh di masa depan."),
            ("since", "", required()),
            ("status", "selesai", invalid_choice("selesai")),
            ("status", "", required()),
        ]
        for field, value, message in cases:
            with self.subTest(field=field, value=value):
                self.assertOnlyError(self.form(**{field: value}), field, message)

    def test_the_same_programme_is_free_for_another_kampung(self):
        self.assertValid(self.form(kampung=self.other, program=str(self.bersinar.pk)))

    def test_editing_a_tag_may_keep_its_programme(self):
        form = self.form(instance=self.tag, program=str(self.bersinar.pk), status="berhenti")
        self.assertValid(form)
        self.assertEqual(form.instance.status, "berhenti")

    def test_editing_a_tag_cannot_move_it_onto_another_tag_s_programme(self):
        KampungProgram.objects.create(
            kampung=self.kampung, program=self.drppa, since=datetime.date(2025, 1, 1)
        )
        form = self.form(instance=self.tag, program=str(self.drppa.pk))
        self.assertOnlyError(
            form,
            "program",
            "Kampung ini sudah ditandai dengan program Desa Ramah Perempuan dan Peduli Anak.",
        )

    def test_a_tag_on_a_retired_programme_keeps_it_when_edited(self):
        tag = KampungProgram.objects.create(
            kampung=self.kampung, program=self.retired, since=datetime.date(2023, 1, 1)
        )
        form = self.form(instance=tag, program=str(self.retired.pk), status="berhenti")
        self.assertValid(form)
