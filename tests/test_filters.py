"""KampungFilterSet and the region-code normaliser behind its search box."""

from django.test import RequestFactory, SimpleTestCase

from classification.filters import KampungFilterSet, normalise_region_code
from classification.models import Kampung
from tests.base import KOTABARU, TANAH_LAUT, PeopleTestCase, make_user


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
