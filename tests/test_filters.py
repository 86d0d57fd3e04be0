"""KampungFilterSet and the region-code normaliser behind its search box."""

from django.contrib.auth import get_user_model
from django.test import RequestFactory, SimpleTestCase

from classification.filters import KampungFilterSet
from classification.models import Kabupaten, Kampung, Provinsi, RegionScope
from classification.permissions import BKKBN_GROUP
from classification.rules.codes import normalise_region_code
from tests.base import KOTABARU, PASSWORD, TANAH_LAUT, PeopleTestCase, make_user


class NormaliseRegionCodeTests(SimpleTestCase):
    def test_undotted_and_dotted_codes_give_the_dotted_code(self):
        cases = {
            "6301012002": "63.01.01.2002",
            "63.01.01.2002": "63.01.01.2002",
            "630101.2002": "63.01.01.2002",
            "  6301012002  ": "63.01.01.2002",
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                self.assertEqual(normalise_region_code(text), expected)

    def test_prefixes_give_dotted_prefixes(self):
        cases = {
            "63": "63",
            "6301": "63.01",
            "63.01": "63.01",
            "630105": "63.01.05",
            "63.01.05": "63.01.05",
            "6301052": "63.01.05.2",
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                self.assertEqual(normalise_region_code(text), expected)

    def test_names_and_malformed_codes_are_not_codes(self):
        for text in ("", "   ", "tabanio", "63-01", "63 01", "63.01.x", "63010120021", "6,3"):
            with self.subTest(text=text):
                self.assertIsNone(normalise_region_code(text))


class KampungFilterSetTests(PeopleTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.tanpa_peran = make_user("tanpa_peran")

    def filterset(self, user, data=None, home=TANAH_LAUT):
        request = RequestFactory().get("/kampung/", data or {})
        request.user = user
        return KampungFilterSet(
            request.GET,
            queryset=Kampung.objects.visible_to(user),
            request=request,
            home_kabupaten=home,
        )

    def kecamatan_codes(self, filterset) -> list[str]:
        return [kecamatan.kode for kecamatan in filterset.filters["kecamatan"].queryset]

    def test_kecamatan_choices_are_those_of_the_home_kabupaten(self):
        codes = self.kecamatan_codes(self.filterset(self.staf))
        self.assertEqual(len(codes), 11)
        self.assertTrue(all(code.startswith("63.01.") for code in codes))
        self.assertEqual(codes, sorted(codes))

    def test_kecamatan_choices_follow_the_chosen_kabupaten(self):
        codes = self.kecamatan_codes(self.filterset(self.peninjau, {"kabupaten": KOTABARU}))
        self.assertEqual(len(codes), 22)
        self.assertTrue(all(code.startswith("63.02.") for code in codes))

    def test_a_kabupaten_out_of_reach_gives_no_kecamatan_choices(self):
        filterset = self.filterset(self.staf, {"kabupaten": KOTABARU})
        self.assertEqual(self.kecamatan_codes(filterset), [])
        self.assertFalse(filterset.is_valid())
        self.assertIn("kabupaten", filterset.errors)

    def test_kecamatan_of_another_kabupaten_is_an_invalid_choice(self):
        filterset = self.filterset(self.staf, {"kecamatan": "63.02.01"})
        self.assertFalse(filterset.is_valid())
        self.assertIn("kecamatan", filterset.errors)

    def test_user_without_region_has_no_kabupaten_or_kecamatan_choices(self):
        filterset = self.filterset(self.tanpa_peran, home=None)
        self.assertEqual(list(filterset.filters["kabupaten"].queryset), [])
        self.assertEqual(self.kecamatan_codes(filterset), [])

    def test_kabupaten_choices_are_the_readable_ones(self):
        for user, expected in (
            (self.staf, [TANAH_LAUT]),
            (self.staf_lain, [KOTABARU]),
            (self.pokja_a, [TANAH_LAUT]),
            (self.peninjau, [TANAH_LAUT, KOTABARU]),
        ):
            with self.subTest(user=user.username):
                queryset = self.filterset(user).filters["kabupaten"].queryset
                self.assertEqual([kabupaten.kode for kabupaten in queryset], expected)

    def test_level_choices_are_in_rank_order_after_not_set(self):
        form = self.filterset(self.staf).form
        choices = [str(label) for _, label in form.fields["official_level"].choices]
        self.assertEqual(
            choices,
            ["Semua level", "Belum ditetapkan", "Dasar", "Berkembang", "Mandiri", "Paripurna"],
        )

    def test_search_matches_the_kampung_kb_name_too(self):
        Kampung.objects.filter(desa_kode="63.01.04.2001").update(
            nama_kampung="Kampung KB Sejahtera"
        )
        found = self.filterset(self.staf, {"q": "sejahtera"}).qs
        self.assertEqual([kampung.desa_kode for kampung in found], ["63.01.04.2001"])

    def test_search_by_kecamatan_name_finds_all_its_kampung(self):
        found = self.filterset(self.staf, {"q": "Pelaihari"}).qs
        self.assertEqual(found.count(), 20)

    def test_search_never_widens_what_the_user_may_read(self):
        found = self.filterset(self.staf, {"q": "63.02"}).qs
        self.assertEqual(found.count(), 0)
        found = self.filterset(self.staf_lain, {"q": "Tabanio"}).qs
        self.assertEqual(found.count(), 0)


class ProvinsiFilterTests(PeopleTestCase):
    """Who reads more than one provinsi picks one first; its kabupaten fill the next list."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        kaltim = Provinsi.objects.create(kode="64", nama="Kalimantan Timur")
        Kabupaten.objects.create(kode="64.01", nama="Kabupaten Paser", provinsi=kaltim)
        cls.nasional = get_user_model().objects.create_superuser("nasional", password=PASSWORD)
        cls.dua_provinsi = make_user("dua_provinsi", group=BKKBN_GROUP, provinsi_id="63")
        RegionScope.objects.create(user=cls.dua_provinsi, kabupaten_id="64.01")

    def form(self, user, data=None):
        request = RequestFactory().get("/kampung/", data or {})
        request.user = user
        filterset = KampungFilterSet(
            request.GET,
            queryset=Kampung.objects.visible_to(user),
            request=request,
            home_kabupaten=TANAH_LAUT,
        )
        return filterset, filterset.form

    def codes(self, form, field) -> list[str]:
        return [value for value, _ in form.fields[field].choices if value]

    def test_kabupaten_are_those_of_the_user_s_own_provinsi_until_another_is_chosen(self):
        _, form = self.form(self.nasional)
        self.assertEqual(self.codes(form, "provinsi"), ["63", "64"])
        self.assertEqual(self.codes(form, "kabupaten"), [TANAH_LAUT, KOTABARU])
        _, form = self.form(self.nasional, {"provinsi": "64"})
        self.assertEqual(self.codes(form, "kabupaten"), ["64.01"])

    def test_a_kabupaten_in_the_address_brings_its_provinsi_s_list(self):
        filterset, form = self.form(self.nasional, {"kabupaten": "64.01"})
        self.assertTrue(filterset.is_valid())
        self.assertEqual(self.codes(form, "kabupaten"), ["64.01"])

    def test_choosing_a_provinsi_lists_only_its_kampung(self):
        filterset, _ = self.form(self.nasional, {"provinsi": "63"})
        codes = set(filterset.qs.values_list("desa_kode", flat=True))
        self.assertEqual(len(codes), Kampung.objects.filter(desa_kode__startswith="63.").count())

    def test_provinsi_choices_are_the_readable_ones(self):
        _, form = self.form(self.dua_provinsi)
        self.assertEqual(self.codes(form, "provinsi"), ["63", "64"])
        _, form = self.form(self.dua_provinsi, {"provinsi": "64"})
        self.assertEqual(self.codes(form, "kabupaten"), ["64.01"])

    def test_users_of_one_provinsi_see_no_provinsi_filter(self):
        for user in (self.staf, self.pokja_a, self.peninjau):
            with self.subTest(user=user.username):
                _, form = self.form(user)
                self.assertNotIn("provinsi", form.fields)
