"""The read-only JSON API at /api/v1/: scoping per person, filters, pages, query counts, and every
response validated against the OpenAPI schema drf-spectacular generates from the serializers."""

import copy
import datetime
import functools
import io
import json
import tempfile
from decimal import Decimal
from pathlib import Path
from unittest import mock

import jsonschema
from django.core.management import call_command
from django.test import SimpleTestCase
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token

from classification.models import (
    ClassificationLevel,
    Kampung,
    KampungProgram,
    LevelChange,
    ThematicProgram,
)
from classification.selectors.dashboard import district_summary
from classification.selectors.levels import level_list
from classification.selectors.target import target_progress
from classification.services.levels import kampung_set_level
from tests.base import (
    KAMPUNG_A,
    KAMPUNG_B,
    KAMPUNG_LAIN_KABUPATEN,
    KOTABARU,
    SESSION_CACHED,
    TANAH_LAUT,
    PeopleTestCase,
    make_user,
)

API = "/api/v1"
SUMMARY = API + "/kabupaten/{}/ringkasan/"
KAMPUNG_LIST = API + "/kampung/"
KAMPUNG_DETAIL = API + "/kampung/{}/"
SCHEMA = API + "/schema/"

# Paths as the schema names them.
SCHEMA_SUMMARY = "/api/v1/kabupaten/{kode}/ringkasan/"
SCHEMA_LIST = "/api/v1/kampung/"
SCHEMA_DETAIL = "/api/v1/kampung/{kode}/"

TODAY = datetime.date(2026, 6, 30)

# Pinned query counts (staf, session auth). Every request: session, user, access (groups, region
# scopes, Pokja memberships) = 5.
# Summary: + kabupaten, levels, district totals, by kecamatan, target policy, upper counts.
SUMMARY_QUERIES = 11 - SESSION_CACHED
# List: + COUNT, one page of rows (with kecamatan), whatever the page size.
LIST_QUERIES = 7 - SESSION_CACHED
# Detail: + the kampung (with its region), its level history.
DETAIL_QUERIES = 7 - SESSION_CACHED


# --------------------------------------------------------------------------------------------
# The schema as JSON Schema
# --------------------------------------------------------------------------------------------


@functools.cache
def openapi_schema() -> dict:
    """The OpenAPI document drf-spectacular builds (what /api/v1/schema/ serves), as JSON."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(schema, default=str))


def to_json_schema(node):
    """OpenAPI 3.0 → JSON Schema, strict: ``nullable`` becomes a ``null`` alternative, and an
    object with declared properties admits no others (so a field the serializer adds without the
    schema knowing fails validation, as does a field the schema lists and the response lacks)."""
    if isinstance(node, list):
        return [to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: to_json_schema(value) for key, value in node.items()}
    # 3.0's boolean exclusiveMinimum/Maximum qualify minimum/maximum; JSON Schema's are numbers.
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        if node.get(exclusive) is True:
            node[exclusive] = node.pop(bound)
        elif node.get(exclusive) is False:
            del node[exclusive]
    if "properties" in node and "additionalProperties" not in node:
        node["additionalProperties"] = False
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def response_validator(path: str, status: str = "200") -> jsonschema.protocols.Validator:
    """A validator for the GET ``path`` response, its $refs resolved in the schema's components."""
    document = openapi_schema()
    content = document["paths"][path]["get"]["responses"][status]["content"]
    root = to_json_schema(copy.deepcopy(content["application/json"]["schema"]))
    root["components"] = to_json_schema(copy.deepcopy(document["components"]))
    validator_class = jsonschema.validators.validator_for(
        root, default=jsonschema.Draft202012Validator
    )
    validator_class.check_schema(root)
    return validator_class(root, format_checker=jsonschema.FormatChecker())


def assert_matches_schema(data, path: str) -> None:
    response_validator(path).validate(data)


# --------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------


class ApiTestCase(PeopleTestCase):
    def get(self, url, user=None, **params):
        # One login per person per test: each login costs django-axes a few writes.
        if user is not None and getattr(self, "_logged_in", None) != user.pk:
            self.client.force_login(user)
            self._logged_in = user.pk
        return self.client.get(url, params)

    def get_json(self, url, user, **params):
        response = self.get(url, user, **params)
        self.assertEqual(response.status_code, 200, response.content[:500])
        # The schema comes as application/vnd.oai.openapi+json.
        self.assertRegex(response["Content-Type"], r"^application/(vnd\.oai\.openapi\+)?json$")
        return response.json()

    def all_pages(self, user, **params) -> list[dict]:
        """Every item of the list, following ``next`` page after page."""
        page = self.get_json(KAMPUNG_LIST, user, page_size=100, **params)
        results = page["results"]
        while page["next"]:
            page = self.get_json(page["next"], user)
            results += page["results"]
        self.assertEqual(len(results), page["count"])
        return results


@mock.patch("django.utils.timezone.localdate", return_value=TODAY)
class DistrictSummaryTests(ApiTestCase):
    def test_tanah_laut_summary_holds_the_published_figures(self, _today):
        data = self.get_json(SUMMARY.format(TANAH_LAUT), self.staf)
        assert_matches_schema(data, SCHEMA_SUMMARY)
        self.assertEqual(
            data["kabupaten"],
            {
                "kode": "63.01",
                "nama": "Kabupaten Tanah Laut",
                "provinsi": {"kode": "63", "nama": "Kalimantan Selatan"},
                # The per-kampung levels are the illustrative demo: the API says so too.
                "demo_levels": True,
            },
        )
        self.assertEqual(data["as_of"], "2026-06-30")
        self.assertEqual(data["total"], 135)
        self.assertEqual(data["unassigned"], 0)
        by_level = {row["code"]: row for row in data["by_level"]}
        self.assertEqual(list(by_level), ["dasar", "berkembang", "mandiri", "paripurna"])
        self.assertEqual(
            {code: row["count"] for code, row in by_level.items()},
            {"dasar": 93, "berkembang": 25, "mandiri": 3, "paripurna": 14},
        )
        self.assertEqual(by_level["dasar"]["share"], 68.9)
        # BKKBN's own name for the top level travels with the count.
        self.assertEqual(by_level["paripurna"]["bkkbn_code"], "berkelanjutan")
        self.assertEqual(data["upper_count"], 17)
        self.assertEqual(data["upper_share"], 12.6)

    def test_by_kecamatan_adds_up_to_the_district(self, _today):
        data = self.get_json(SUMMARY.format(TANAH_LAUT), self.staf)
        rows = data["by_kecamatan"]
        self.assertEqual(len(rows), data["kecamatan_count"])
        self.assertEqual([row["kode"] for row in rows], sorted(row["kode"] for row in rows))
        self.assertEqual(sum(row["total"] for row in rows), 135)
        for row in rows:
            self.assertTrue(row["kode"].startswith("63.01."))
            self.assertEqual(set(row["counts"]), {"dasar", "berkembang", "mandiri", "paripurna"})
            self.assertEqual(sum(row["counts"].values()), row["total"])
        self.assertEqual(sum(row["counts"]["paripurna"] for row in rows), 14)

    def test_target_progress_is_the_five_percent_rule(self, _today):
        target = self.get_json(SUMMARY.format(TANAH_LAUT), self.staf)["target"]
        self.assertEqual(target["policy_percent"], 5)
        self.assertEqual(target["rounding"], "up")
        self.assertEqual(target["baseline_date"], "2025-07-31")
        self.assertEqual((target["base"], target["quota"], target["baseline_upper"]), (135, 7, 17))
        self.assertEqual(
            target["years"],
            [
                {"year": 2025, "target": 17, "actual": 17, "gap": 0, "met": True,
                 "is_current": False, "base": 135, "quota": 0},
                {"year": 2026, "target": 24, "actual": 17, "gap": 7, "met": False,
                 "is_current": True, "base": 135, "quota": 7},
            ],
        )  # fmt: skip

    def test_summary_is_what_the_selectors_say(self, _today):
        data = self.get_json(SUMMARY.format(TANAH_LAUT), self.peninjau)
        levels = level_list()
        summary = district_summary(kabupaten_kode=TANAH_LAUT, levels=levels)
        self.assertEqual(
            [row["count"] for row in data["by_level"]], [c.count for c in summary.levels]
        )
        self.assertEqual(
            [Decimal(str(row["share"])) for row in data["by_level"]],
            [c.share for c in summary.levels],
        )
        progress = target_progress(kabupaten_kode=TANAH_LAUT, levels=levels, today=TODAY)
        self.assertEqual(
            [y["actual"] for y in data["target"]["years"]], [y.actual for y in progress.years]
        )

    def test_a_district_without_levels_is_all_unassigned(self, _today):
        data = self.get_json(SUMMARY.format(KOTABARU), self.staf_lain)
        assert_matches_schema(data, SCHEMA_SUMMARY)
        total = Kampung.objects.active().in_kabupaten(KOTABARU).count()
        self.assertGreater(total, 0)
        self.assertEqual(
            (data["total"], data["unassigned"], data["upper_count"]), (total, total, 0)
        )
        self.assertEqual({row["count"] for row in data["by_level"]}, {0})

    def test_undotted_code_is_accepted(self, _today):
        data = self.get_json(SUMMARY.format("6301"), self.staf)
        self.assertEqual(data["kabupaten"]["kode"], TANAH_LAUT)

    def test_scope_per_person(self, _today):
        cases = [
            (self.staf, {TANAH_LAUT: 200, KOTABARU: 404}),
            (self.staf_lain, {TANAH_LAUT: 404, KOTABARU: 200}),
            (self.peninjau, {TANAH_LAUT: 200, KOTABARU: 200}),
            (self.pokja_a, {TANAH_LAUT: 200, KOTABARU: 404}),
            (self.pokja_b, {TANAH_LAUT: 200, KOTABARU: 404}),
        ]
        for user, expected in cases:
            for kode, status in expected.items():
                with self.subTest(user=user.username, kode=kode):
                    self.assertEqual(self.get(SUMMARY.format(kode), user).status_code, status)

    def test_unknown_or_malformed_code_is_404(self, _today):
        for kode in ("63.99", "99.01", "abc", "63.01.01"):
            with self.subTest(kode=kode):
                response = self.get(SUMMARY.format(kode), self.peninjau)
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response["Content-Type"], "application/json")

    def test_anonymous_is_403(self, _today):
        # SessionAuthentication comes first and sends no WWW-Authenticate challenge: DRF's 403.
        response = self.get(SUMMARY.format(TANAH_LAUT))
        self.assertEqual(response.status_code, 403)
        self.assertEqual(list(response.json()), ["detail"])
        self.assertNotIn("WWW-Authenticate", response)

    def test_query_count_is_pinned(self, _today):
        self.client.force_login(self.staf)
        with self.assertNumQueries(SUMMARY_QUERIES):
            self.client.get(SUMMARY.format(TANAH_LAUT))


class KampungListTests(ApiTestCase):
    def test_item_shape(self):
        data = self.get_json(KAMPUNG_LIST, self.staf, q="Tabanio")
        assert_matches_schema(data, SCHEMA_LIST)
        self.assertEqual(data["count"], 1)
        item = data["results"][0]
        kampung = Kampung.objects.select_related("kecamatan").get(desa_kode=KAMPUNG_A)
        self.assertEqual(
            item,
            {
                "desa_kode": KAMPUNG_A,
                "desa_kode_bkkbn": "6301012002",
                "desa_nama": "Tabanio",
                "jenis": "desa",
                "kecamatan": {"kode": "63.01.01", "nama": kampung.kecamatan.nama},
                "kabupaten_kode": TANAH_LAUT,
                "is_active": True,
                "official_level": "berkembang",
                "official_level_since": kampung.official_level_since.isoformat(),
                "estimated_level": kampung.estimated_level_id,
                "url": f"http://testserver/api/v1/kampung/{KAMPUNG_A}/",
            },
        )

    def test_scope_per_person(self):
        tanah_laut = Kampung.objects.in_kabupaten(TANAH_LAUT).count()
        kotabaru = Kampung.objects.in_kabupaten(KOTABARU).count()
        cases = [
            (self.staf, {TANAH_LAUT}, tanah_laut),
            (self.staf_lain, {KOTABARU}, kotabaru),
            (self.peninjau, {TANAH_LAUT, KOTABARU}, tanah_laut + kotabaru),
            (self.pokja_a, {TANAH_LAUT}, tanah_laut),
        ]
        for user, kabupaten, count in cases:
            with self.subTest(user=user.username):
                rows = self.all_pages(user)
                self.assertEqual(len(rows), count)
                self.assertEqual({row["kabupaten_kode"] for row in rows}, kabupaten)

    def test_ordered_by_code(self):
        codes = [row["desa_kode"] for row in self.all_pages(self.staf)]
        self.assertEqual(codes, sorted(codes))

    def test_filters_are_the_tables(self):
        def codes(user, **params):
            return {row["desa_kode"] for row in self.all_pages(user, **params)}

        in_kecamatan = set(
            Kampung.objects.in_kecamatan("63.01.01").values_list("desa_kode", flat=True)
        )
        self.assertEqual(codes(self.staf, kecamatan="63.01.01"), in_kecamatan)
        self.assertEqual(
            codes(self.peninjau, kabupaten=TANAH_LAUT, kecamatan="63.01.01"), in_kecamatan
        )
        self.assertEqual(len(codes(self.staf, official_level="paripurna")), 14)
        self.assertEqual(
            len(codes(self.peninjau, kabupaten=TANAH_LAUT, official_level="dasar")), 93
        )
        # "null" is django-filter's value for "no level yet": all of Kotabaru.
        self.assertEqual(
            codes(self.peninjau, official_level="null"),
            set(Kampung.objects.in_kabupaten(KOTABARU).values_list("desa_kode", flat=True)),
        )
        self.assertEqual(
            codes(self.staf, jenis="kelurahan"),
            set(
                Kampung.objects.in_kabupaten(TANAH_LAUT)
                .filter(jenis="kelurahan")
                .values_list("desa_kode", flat=True)
            ),
        )
        # Code search, dotted or BKKBN-style.
        self.assertEqual(codes(self.staf, q="6301012002"), {KAMPUNG_A})
        self.assertEqual(codes(self.staf, q=KAMPUNG_B), {KAMPUNG_B})

    def test_estimated_level_and_candidates(self):
        Kampung.objects.filter(desa_kode=KAMPUNG_A).update(estimated_level_id="mandiri")
        Kampung.objects.filter(desa_kode=KAMPUNG_B).update(estimated_level_id="dasar")
        self.assertEqual(
            {r["desa_kode"] for r in self.all_pages(self.staf, estimated_level="mandiri")},
            {KAMPUNG_A},
        )
        candidates = {r["desa_kode"] for r in self.all_pages(self.staf, kandidat="true")}
        self.assertEqual(candidates, {KAMPUNG_A})
        others = self.all_pages(self.staf, kandidat="false")
        self.assertNotIn(KAMPUNG_A, {r["desa_kode"] for r in others})

    def test_program_filter(self):
        program = ThematicProgram.objects.create(name="Kampung Uji API")
        kampung = Kampung.objects.get(desa_kode=KAMPUNG_B)
        KampungProgram.objects.create(kampung=kampung, program=program, since=TODAY)
        rows = self.all_pages(self.pokja_a, program=program.pk)
        self.assertEqual([r["desa_kode"] for r in rows], [KAMPUNG_B])

    def test_filter_outside_scope_is_400_and_says_nothing_more(self):
        for params in (
            {"kabupaten": TANAH_LAUT},
            {"kecamatan": "63.01.01"},
            {"kecamatan": "63.99.01"},
        ):
            with self.subTest(params=params):
                response = self.get(KAMPUNG_LIST, self.staf_lain, **params)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(list(response.json()), list(params))

    def test_pages(self):
        first = self.get_json(KAMPUNG_LIST, self.staf)
        self.assertEqual(first["count"], 135)
        self.assertEqual(len(first["results"]), 50)  # PAGE_SIZE
        self.assertIsNone(first["previous"])
        self.assertEqual(first["next"], "http://testserver/api/v1/kampung/?page=2")
        last = self.get_json(KAMPUNG_LIST, self.staf, page=3)
        self.assertEqual(len(last["results"]), 35)
        self.assertIsNone(last["next"])
        assert_matches_schema(last, SCHEMA_LIST)
        small = self.get_json(KAMPUNG_LIST, self.staf, page_size=10, page=14)
        self.assertEqual(len(small["results"]), 5)
        capped = self.get_json(KAMPUNG_LIST, self.peninjau, page_size=10_000)
        self.assertEqual(len(capped["results"]), 200)  # max_page_size
        every = [row["desa_kode"] for page in (1, 2, 3) for row in self.get_json(
            KAMPUNG_LIST, self.staf, page=page)["results"]]  # fmt: skip
        self.assertEqual(len(set(every)), 135)
        self.assertEqual(self.get(KAMPUNG_LIST, self.staf, page=4).status_code, 404)

    def test_query_count_does_not_grow_with_page_size(self):
        self.client.force_login(self.staf)
        for page_size in (10, 50, 135):
            with self.subTest(page_size=page_size), self.assertNumQueries(LIST_QUERIES):
                response = self.client.get(KAMPUNG_LIST, {"page_size": page_size})
            self.assertEqual(len(response.json()["results"]), page_size)

    def test_token_authentication(self):
        token = Token.objects.create(user=self.staf_lain)
        response = self.client.get(KAMPUNG_LIST, HTTP_AUTHORIZATION=f"Token {token.key}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual({row["kabupaten_kode"] for row in response.json()["results"]}, {KOTABARU})

    def test_bad_or_inactive_token_is_refused(self):
        token = Token.objects.create(user=self.staf)
        bad = self.client.get(KAMPUNG_LIST, HTTP_AUTHORIZATION="Token 0123456789abcdef")
        self.assertEqual(bad.status_code, 403)
        self.staf.is_active = False
        self.staf.save()
        inactive = self.client.get(KAMPUNG_LIST, HTTP_AUTHORIZATION=f"Token {token.key}")
        self.assertEqual(inactive.status_code, 403)

    def test_anonymous_is_403(self):
        self.assertEqual(self.get(KAMPUNG_LIST).status_code, 403)


class KampungDetailTests(ApiTestCase):
    def test_identity_levels_and_history(self):
        kampung = Kampung.objects.get(desa_kode=KAMPUNG_A)
        Kampung.objects.filter(pk=kampung.pk).update(
            estimated_level_id="mandiri",
            estimated_input=Decimal("3.25"),
            estimated_proses=Decimal("3.00"),
            estimated_output=Decimal("2.50"),
        )
        kampung_set_level(
            kampung=kampung,
            level=ClassificationLevel.objects.get(code="mandiri"),
            effective_date=datetime.date(2026, 3, 1),
            source=LevelChange.Source.VERIFICATION,
            by=self.staf,
            note="Naik setelah verifikasi",
        )
        data = self.get_json(KAMPUNG_DETAIL.format(KAMPUNG_A), self.pokja_b)
        assert_matches_schema(data, SCHEMA_DETAIL)
        self.assertEqual(data["desa_kode"], KAMPUNG_A)
        self.assertEqual(data["desa_kode_bkkbn"], "6301012002")
        self.assertEqual(data["desa_nama"], "Tabanio")
        self.assertEqual(data["nama_kampung"], kampung.display_name)
        self.assertEqual(data["kecamatan"]["kode"], "63.01.01")
        self.assertEqual(data["kabupaten"]["kode"], TANAH_LAUT)
        self.assertEqual(data["kabupaten"]["provinsi"]["kode"], "63")
        self.assertEqual(
            (data["official_level"], data["official_level_since"]), ("mandiri", "2026-03-01")
        )
        self.assertEqual(data["estimated_level"], "mandiri")
        self.assertEqual(data["estimated_indices"], {"input": 3.25, "proses": 3.0, "output": 2.5})
        self.assertEqual(
            data["level_history"][0],
            {
                "effective_date": "2026-03-01",
                "level_from": "berkembang",
                "level_to": "mandiri",
                "source": "verification",
                "note": "Naik setelah verifikasi",
            },
        )
        self.assertEqual(data["level_history"][-1]["source"], "baseline")
        self.assertIsNone(data["level_history"][-1]["level_from"])

    def test_no_usernames_or_personal_data(self):
        kampung_set_level(
            kampung=Kampung.objects.get(desa_kode=KAMPUNG_A),
            level=ClassificationLevel.objects.get(code="mandiri"),
            effective_date=datetime.date(2026, 3, 1),
            source=LevelChange.Source.CORRECTION,
            by=self.staf,
        )
        body = self.get(KAMPUNG_DETAIL.format(KAMPUNG_A), self.peninjau).content.decode()
        for word in ("staf", "pokja_a", "changed_by", "created_by", "username", "email"):
            self.assertNotIn(word, body)

    def test_undotted_code_is_accepted(self):
        data = self.get_json(KAMPUNG_DETAIL.format("6301012002"), self.staf)
        self.assertEqual(data["desa_kode"], KAMPUNG_A)

    def test_url_in_the_list_leads_to_the_detail(self):
        item = self.all_pages(self.staf, q="Tabanio")[0]
        self.assertEqual(self.get_json(item["url"], self.staf)["desa_kode"], KAMPUNG_A)

    def test_kampung_without_level(self):
        data = self.get_json(KAMPUNG_DETAIL.format(KAMPUNG_LAIN_KABUPATEN), self.staf_lain)
        assert_matches_schema(data, SCHEMA_DETAIL)
        self.assertIsNone(data["official_level"])
        self.assertIsNone(data["official_level_since"])
        self.assertEqual(data["level_history"], [])
        self.assertEqual(data["estimated_indices"], {"input": None, "proses": None, "output": None})

    def test_scope_per_person(self):
        cases = [
            (self.staf, {KAMPUNG_A: 200, KAMPUNG_LAIN_KABUPATEN: 404}),
            (self.staf_lain, {KAMPUNG_A: 404, KAMPUNG_LAIN_KABUPATEN: 200}),
            (self.peninjau, {KAMPUNG_A: 200, KAMPUNG_LAIN_KABUPATEN: 200}),
            (self.pokja_a, {KAMPUNG_A: 200, KAMPUNG_B: 200, KAMPUNG_LAIN_KABUPATEN: 404}),
            (self.pokja_b, {KAMPUNG_A: 200, KAMPUNG_LAIN_KABUPATEN: 404}),
        ]
        for user, expected in cases:
            for kode, status in expected.items():
                with self.subTest(user=user.username, kode=kode):
                    self.assertEqual(
                        self.get(KAMPUNG_DETAIL.format(kode), user).status_code, status
                    )

    def test_unknown_code_is_404(self):
        for kode in ("63.01.01.9999", "6301019999", "xyz"):
            with self.subTest(kode=kode):
                self.assertEqual(
                    self.get(KAMPUNG_DETAIL.format(kode), self.peninjau).status_code, 404
                )

    def test_anonymous_is_403(self):
        self.assertEqual(self.get(KAMPUNG_DETAIL.format(KAMPUNG_A)).status_code, 403)

    def test_query_count_is_pinned(self):
        self.client.force_login(self.staf)
        with self.assertNumQueries(DETAIL_QUERIES):
            self.client.get(KAMPUNG_DETAIL.format(KAMPUNG_A))


class ReadOnlyTests(ApiTestCase):
    urls = (
        SUMMARY.format(TANAH_LAUT),
        KAMPUNG_LIST,
        KAMPUNG_DETAIL.format(KAMPUNG_A),
        SCHEMA,
    )
    writes = ("post", "put", "patch", "delete")

    def test_every_write_is_405_for_everyone_logged_in(self):
        for user in (self.staf, self.staf_lain, self.peninjau, self.pokja_a, self.pokja_b):
            self.client.force_login(user)
            for url in self.urls:
                for method in self.writes:
                    with self.subTest(user=user.username, url=url, method=method):
                        response = getattr(self.client, method)(
                            url, data={}, content_type="application/json"
                        )
                        self.assertEqual(response.status_code, 405)
        self.assertEqual(Kampung.objects.get(desa_kode=KAMPUNG_A).official_level_id, "berkembang")

    def test_writes_with_a_token_are_405(self):
        token = Token.objects.create(user=self.staf)
        response = self.client.delete(
            KAMPUNG_DETAIL.format(KAMPUNG_A), HTTP_AUTHORIZATION=f"Token {token.key}"
        )
        self.assertEqual(response.status_code, 405)
        self.assertTrue(Kampung.objects.filter(desa_kode=KAMPUNG_A).exists())

    def test_anonymous_writes_are_403(self):
        for url in self.urls:
            for method in self.writes:
                with self.subTest(url=url, method=method):
                    self.assertEqual(getattr(self.client, method)(url).status_code, 403)

    def test_allow_header_lists_reads_only(self):
        self.client.force_login(self.peninjau)
        response = self.client.post(KAMPUNG_LIST)
        self.assertEqual(
            {method.strip() for method in response["Allow"].split(",")}, {"GET", "HEAD", "OPTIONS"}
        )


class SchemaEndpointTests(ApiTestCase):
    def test_any_logged_in_user_reads_the_schema(self):
        for user in (self.staf, self.staf_lain, self.peninjau, self.pokja_a, self.pokja_b):
            with self.subTest(user=user.username):
                data = self.get_json(SCHEMA, user, format="json")
                self.assertTrue(data["openapi"].startswith("3."))
                self.assertEqual(set(data["paths"]), {SCHEMA_SUMMARY, SCHEMA_LIST, SCHEMA_DETAIL})

    def test_served_schema_is_the_one_the_tests_validate_against(self):
        served = self.get_json(SCHEMA, self.staf, format="json")
        self.maxDiff = None
        self.assertEqual(
            json.dumps(served, indent=1, sort_keys=True),
            json.dumps(openapi_schema(), indent=1, sort_keys=True),
        )

    def test_yaml_by_default(self):
        response = self.get(SCHEMA, self.staf)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"openapi: 3."))

    def test_anonymous_is_403(self):
        self.assertEqual(self.get(SCHEMA).status_code, 403)

    def test_token_reads_the_schema(self):
        token = Token.objects.create(user=self.pokja_a)
        response = self.client.get(SCHEMA, HTTP_AUTHORIZATION=f"Token {token.key}")
        self.assertEqual(response.status_code, 200)


class SchemaValidityTests(SimpleTestCase):
    def test_spectacular_validates_without_warnings(self):
        """``manage.py spectacular --validate --fail-on-warn``: raises on any warning or error."""
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "schema.yaml"
            call_command(
                "spectacular", "--validate", "--fail-on-warn", "--file", str(target),
                stderr=io.StringIO(),
            )  # fmt: skip
            self.assertTrue(target.read_text().startswith("openapi: 3."))

    def test_every_operation_has_a_json_response_schema(self):
        for path in (SCHEMA_SUMMARY, SCHEMA_LIST, SCHEMA_DETAIL):
            with self.subTest(path=path):
                response_validator(path)

    def test_validation_catches_drift(self):
        """A response the serializer changed without the schema (or the reverse) must fail."""
        validator = response_validator(SCHEMA_DETAIL)
        valid = {
            "desa_kode": KAMPUNG_A,
            "desa_kode_bkkbn": "6301012002",
            "desa_nama": "Tabanio",
            "jenis": "desa",
            "nama_kampung": "Kampung KB Tabanio",
            "kecamatan": {"kode": "63.01.01", "nama": "Takisung"},
            "kabupaten": {
                "kode": TANAH_LAUT,
                "nama": "Tanah Laut",
                "provinsi": {"kode": "63", "nama": "Kalimantan Selatan"},
                "demo_levels": True,
            },
            "tanggal_pencanangan": None,
            "cakupan_wilayah": "",
            "gambaran_umum": "",
            "latitude": None,
            "longitude": None,
            "is_active": True,
            "official_level": "berkembang",
            "official_level_since": "2025-07-31",
            "estimated_level": None,
            "estimated_indices": {"input": None, "proses": None, "output": None},
            "level_history": [
                {
                    "effective_date": "2025-07-31",
                    "level_from": None,
                    "level_to": "berkembang",
                    "source": "baseline",
                    "note": "",
                }
            ],
        }
        validator.validate(valid)
        drifted = {
            "a field dropped": lambda d: d.pop("official_level"),
            "a field added": lambda d: d.update(changed_by="staf"),
            "a nested field added": lambda d: d["level_history"][0].update(by="staf"),
            "a type changed": lambda d: d["estimated_indices"].update(input="3.25"),
            "null where none is allowed": lambda d: d.update(desa_nama=None),
            "an unknown choice": lambda d: d["level_history"][0].update(source="manual"),
            "a malformed date": lambda d: d.update(official_level_since="31/07/2025"),
        }
        for what, change in drifted.items():
            with self.subTest(what):
                data = copy.deepcopy(valid)
                change(data)
                with self.assertRaises(jsonschema.ValidationError):
                    validator.validate(data)


class DrfCreateTokenTests(PeopleTestCase):
    def test_drf_create_token_makes_a_token_that_works(self):
        """The README's way to make a token: DRF's own ``drf_create_token`` command."""
        user = make_user("integrasi")
        out = io.StringIO()
        call_command("drf_create_token", "integrasi", stdout=out)
        key = Token.objects.get(user=user).key
        self.assertIn(key, out.getvalue())
        response = self.client.get(KAMPUNG_LIST, HTTP_AUTHORIZATION=f"Token {key}")
        # A user with no role and no scope is authenticated but sees nothing.
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["count"], 0)
