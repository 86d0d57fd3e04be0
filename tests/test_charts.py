"""Figure builders in charts.py: trace data must equal what the selectors return."""

import datetime
import re

import plotly.graph_objects as go
from django.test import TestCase

from classification import charts
from classification.models import ClassificationLevel, Kampung, LevelChange
from classification.selectors.dashboard import (
    district_summary,
    level_counts_by_kecamatan,
    map_features,
    program_counts_by_level,
)
from classification.selectors.levels import level_list
from classification.selectors.target import target_progress
from classification.services.levels import kampung_set_level

TANAH_LAUT = "63.01"
LABELS = ["Dasar", "Berkembang", "Mandiri", "Paripurna"]
MULTIPOLYGON_KAMPUNG = "63.01.01.2004"  # Takisung: two separate polygons in the boundary data


class ChartTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.levels = level_list()
        cls.colours = {level.code: level.colour for level in cls.levels}
        cls.summary = district_summary(kabupaten_kode=TANAH_LAUT, levels=cls.levels)


class LevelDistributionTests(ChartTestCase):
    def test_one_bar_per_level_with_the_district_counts(self):
        fig = charts.level_distribution(self.summary)
        (bar,) = fig["data"]
        self.assertEqual(bar["type"], "bar")
        self.assertEqual(list(bar["x"]), LABELS)
        self.assertEqual(list(bar["y"]), [93, 25, 3, 14])

    def test_bar_colours_come_from_the_level_rows(self):
        bar = charts.level_distribution(self.summary)["data"][0]
        expected = list(
            ClassificationLevel.objects.order_by("rank").values_list("colour", flat=True)
        )
        self.assertEqual(list(bar["marker"]["color"]), expected)
        self.assertEqual(len(set(expected)), 4)

    def test_bar_labels_show_count_and_share_with_decimal_comma(self):
        bar = charts.level_distribution(self.summary)["data"][0]
        self.assertEqual(list(bar["text"]), ["93 (68,9%)", "25 (18,5%)", "3 (2,2%)", "14 (10,4%)"])

    def test_a_relabelled_level_shows_its_new_label(self):
        ClassificationLevel.objects.filter(code="paripurna").update(label="Berkelanjutan")
        levels = level_list()
        summary = district_summary(kabupaten_kode=TANAH_LAUT, levels=levels)
        bar = charts.level_distribution(summary)["data"][0]
        self.assertEqual(bar["x"][-1], "Berkelanjutan")


class LevelsByKecamatanTests(ChartTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.rows = level_counts_by_kecamatan(kabupaten_kode=TANAH_LAUT, levels=cls.levels)
        cls.fig = charts.levels_by_kecamatan(cls.rows, cls.levels)

    def test_four_stacked_traces_one_per_level(self):
        self.assertEqual(len(self.fig["data"]), 4)
        self.assertEqual([trace["name"] for trace in self.fig["data"]], LABELS)
        self.assertEqual(self.fig["layout"]["barmode"], "stack")
        self.assertEqual(
            [trace["marker"]["color"] for trace in self.fig["data"]],
            [self.colours[code] for code in ("dasar", "berkembang", "mandiri", "paripurna")],
        )

    def test_every_trace_has_the_eleven_kecamatan_in_code_order(self):
        for trace in self.fig["data"]:
            self.assertEqual(len(trace["x"]), 11)
            self.assertEqual(list(trace["x"]), [row.nama for row in self.rows])
        self.assertEqual(self.fig["data"][0]["x"][0], "Takisung")
        self.assertEqual(self.fig["data"][0]["x"][2], "Pelaihari")

    def test_each_trace_sums_to_the_district_level_total(self):
        self.assertEqual([sum(trace["y"]) for trace in self.fig["data"]], [93, 25, 3, 14])

    def test_stacks_add_up_to_each_kecamatan_total(self):
        stacks = [
            sum(values) for values in zip(*(trace["y"] for trace in self.fig["data"]), strict=True)
        ]
        self.assertEqual(stacks, [row.total for row in self.rows])
        self.assertEqual(stacks[2], 20)  # Pelaihari
        self.assertEqual(sum(stacks), 135)


class TargetProgressTests(ChartTestCase):
    def progress(self, today: datetime.date):
        return target_progress(
            kabupaten_kode=TANAH_LAUT, total=135, levels=self.levels, today=today
        )

    def test_bars_are_actuals_and_line_is_targets_per_year(self):
        fig = charts.target_progress(self.progress(datetime.date(2026, 11, 22)))
        bar, line = fig["data"]
        self.assertEqual((bar["type"], line["type"]), ("bar", "scatter"))
        self.assertEqual(list(bar["x"]), ["2025", "2026"])
        self.assertEqual(list(bar["y"]), [17, 17])
        self.assertEqual(list(line["x"]), ["2025", "2026"])
        self.assertEqual(list(line["y"]), [17, 24])

    def test_current_year_is_labelled_as_up_to_today(self):
        bar = charts.target_progress(self.progress(datetime.date(2026, 11, 22)))["data"][0]
        self.assertEqual(list(bar["customdata"]), ["2025", "2026 (s.d. hari ini)"])

    def test_target_grows_by_seven_a_year(self):
        fig = charts.target_progress(self.progress(datetime.date(2027, 5, 1)))
        self.assertEqual(list(fig["data"][1]["x"]), ["2025", "2026", "2027"])
        self.assertEqual(list(fig["data"][1]["y"]), [17, 24, 31])

    def test_actuals_follow_the_level_history(self):
        mandiri = ClassificationLevel.objects.get(code="mandiri")
        for kampung in Kampung.objects.filter(official_level_id="berkembang").order_by("desa_kode")[
            :5
        ]:
            kampung_set_level(
                kampung=kampung,
                level=mandiri,
                effective_date=datetime.date(2026, 6, 1),
                source=LevelChange.Source.VERIFICATION,
            )
        bar, line = charts.target_progress(self.progress(datetime.date(2026, 11, 22)))["data"]
        self.assertEqual(list(bar["y"]), [17, 22])
        self.assertEqual(list(line["y"]), [17, 24])


class LevelMapTests(ChartTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.features = map_features(kabupaten_kode=TANAH_LAUT)
        cls.fig = charts.level_map(cls.features, cls.levels)

    def test_one_filled_trace_per_kampung(self):
        self.assertEqual(len(self.features), 135)
        self.assertEqual(len(self.fig["data"]), 135)
        # What every trace shares is stated once, as the template's scatter defaults.
        (defaults,) = self.fig["layout"]["template"]["data"]["scatter"]
        self.assertEqual(defaults["fill"], "toself")
        self.assertEqual(defaults["hoveron"], "fills")
        for trace in self.fig["data"]:
            self.assertEqual(trace.get("type", "scatter"), "scatter")
            self.assertNotIn("fill", trace)

    def test_fill_colour_is_the_kampung_level_colour(self):
        for feature, trace in zip(self.features, self.fig["data"], strict=True):
            self.assertEqual(trace["fillcolor"], self.colours[feature["official_level_id"]])

    def test_legend_shows_each_level_once(self):
        shown = [trace["name"] for trace in self.fig["data"] if trace["showlegend"]]
        self.assertEqual(sorted(shown), sorted(LABELS))
        groups = {trace["legendgroup"] for trace in self.fig["data"]}
        self.assertEqual(groups, {"dasar", "berkembang", "mandiri", "paripurna"})

    def test_hover_text_names_desa_and_kecamatan(self):
        by_text = {trace["text"]: trace for trace in self.fig["data"]}
        self.assertIn("Tabanio (Takisung)", by_text)
        self.assertIn("Pelaihari (Pelaihari)", by_text)
        self.assertEqual(by_text["Tabanio (Takisung)"]["name"], "Berkembang")

    def test_multipolygon_parts_are_separated_by_none(self):
        index = next(
            i for i, f in enumerate(self.features) if f["desa_kode"] == MULTIPOLYGON_KAMPUNG
        )
        geometry = self.features[index]["boundary"]
        self.assertEqual(geometry["type"], "MultiPolygon")
        trace = self.fig["data"][index]
        parts = len(geometry["coordinates"])
        points = sum(len(polygon[0]) for polygon in geometry["coordinates"])
        self.assertEqual(list(trace["x"]).count(None), parts - 1)
        self.assertEqual(list(trace["y"]).count(None), parts - 1)
        self.assertEqual(len(trace["x"]), points + parts - 1)

    def test_polygon_uses_outer_ring_only_and_unassigned_kampung_are_grey(self):
        square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
        hole = [[0.4, 0.4], [0.6, 0.4], [0.6, 0.6], [0.4, 0.4]]
        features = [
            {
                "desa_kode": "x.1",
                "desa_nama": "Satu",
                "kecamatan__nama": "K",
                "official_level_id": None,
                "boundary": {"type": "Polygon", "coordinates": [square, hole]},
            },
            {
                "desa_kode": "x.2",
                "desa_nama": "Dua",
                "kecamatan__nama": "K",
                "official_level_id": None,
                "boundary": {
                    "type": "MultiPolygon",
                    "coordinates": [[square], [square], [square]],
                },
            },
        ]
        first, second = charts.level_map(features, self.levels)["data"]
        self.assertEqual(list(first["x"]), [0, 1, 1, 0, 0])
        self.assertEqual(list(second["x"]).count(None), 2)
        self.assertEqual(first["fillcolor"], charts.UNASSIGNED_COLOUR)
        self.assertEqual(first["name"], "Belum ditetapkan")
        self.assertEqual([first["showlegend"], second["showlegend"]], [True, False])


class PlotlyAcceptsEveryFigureTests(ChartTestCase):
    """The builders skip plotly's validation for speed; here plotly validates what they make."""

    def test_every_builder_makes_a_figure_plotly_accepts(self):
        rows = level_counts_by_kecamatan(kabupaten_kode=TANAH_LAUT, levels=self.levels)
        progress = target_progress(
            kabupaten_kode=TANAH_LAUT,
            total=135,
            levels=self.levels,
            today=datetime.date(2026, 6, 1),
        )
        programs = program_counts_by_level(kabupaten_kode=TANAH_LAUT, levels=self.levels)
        features = map_features(kabupaten_kode=TANAH_LAUT)
        figures = {
            "distribution": charts.level_distribution(self.summary),
            "kecamatan": charts.levels_by_kecamatan(rows, self.levels),
            "target": charts.target_progress(progress),
            "programs": charts.programs_by_level(programs, self.levels),
            "map": charts.level_map(features, self.levels),
        }
        for name, fig in figures.items():
            with self.subTest(chart=name):
                # Raises ValueError on any key or value plotly does not know.
                validated = go.Figure(fig)
                self.assertEqual(len(validated.data), len(fig["data"]))


class RenderTests(ChartTestCase):
    def test_render_returns_a_div_with_inline_data_and_no_script_src(self):
        html = charts.render(charts.level_distribution(self.summary), div_id="chart-uji")
        self.assertIn('<div id="chart-uji"', html)
        self.assertRegex(html, r'Plotly\.newPlot\(\s*"chart-uji"')
        self.assertIsNone(re.search(r"<script[^>]*\bsrc=", html))
        self.assertNotIn("cdn", html.lower())
        self.assertNotIn("<html", html)
        # The figure data is inline, with the counts.
        self.assertIn('"y":[93,25,3,14]', html)

    def test_render_hides_the_plotly_logo_and_mode_bar(self):
        html = charts.render(charts.level_distribution(self.summary), div_id="chart-uji")
        self.assertIn('"displaylogo": false', html)
        self.assertIn('"displayModeBar": false', html)
