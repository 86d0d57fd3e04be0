"""Reading the Kemendagri region file (``imports.regions``) and the ``load_region`` command."""

import csv
import gzip
import io
import shutil
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase

from classification.imports.regions import (
    COLUMNS,
    REGION_FILE,
    RegionFileError,
    VillageRow,
    read_villages,
)
from classification.models import Kabupaten, Kampung, Kecamatan, Provinsi
from classification.services.regions import regions_load

CORRUPT = "Berkas wilayah rusak atau bukan CSV UTF-8"


def village(kode: str, nama: str = "", jenis: str = "desa", **names) -> dict[str, str]:
    """One row of the region file for desa ``kode`` (99.xx codes: a provinsi no real file has)."""
    kecamatan_kode = kode.rsplit(".", 1)[0]
    kabupaten_kode = kecamatan_kode.rsplit(".", 1)[0]
    provinsi_kode = kabupaten_kode.split(".")[0]
    return {
        "provinsi_kode": provinsi_kode,
        "provinsi": names.get("provinsi", f"Provinsi {provinsi_kode}"),
        "kabupaten_kode": kabupaten_kode,
        "kabupaten": names.get("kabupaten", f"Kabupaten {kabupaten_kode}"),
        "kecamatan_kode": kecamatan_kode,
        "kecamatan": names.get("kecamatan", f"Kecamatan {kecamatan_kode}"),
        "kode": kode,
        "nama": nama or f"Desa {kode}",
        "jenis": jenis,
    }


def uji_villages(count: int = 6, provinsi: str = "99") -> list[dict[str, str]]:
    """``count`` villages spread over two kabupaten of two kecamatan each."""
    return [
        village(f"{provinsi}.0{1 + i % 2}.0{1 + i // 2 % 2}.{2001 + i}", f"Desa Uji Nomor {i}")
        for i in range(count)
    ]


def csv_bytes(rows: list[dict[str, str]], columns=COLUMNS) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def region_counts() -> tuple[int, int, int, int]:
    return (
        Provinsi.objects.count(),
        Kabupaten.objects.count(),
        Kecamatan.objects.count(),
        Kampung.objects.count(),
    )


class TempFilesMixin:
    def setUp(self):
        super().setUp()
        tmp = tempfile.mkdtemp(prefix="kkb-regions-")
        self.addCleanup(shutil.rmtree, tmp)
        self.tmp = Path(tmp)

    def write(self, name: str, data: bytes) -> Path:
        path = self.tmp / name
        path.write_bytes(data)
        return path

    def write_csv(self, rows, name="wilayah.csv", columns=COLUMNS, gz=False) -> Path:
        data = csv_bytes(rows, columns)
        return self.write(name, gzip.compress(data) if gz else data)


def load(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command("load_region", *args, verbosity=0, stdout=out, stderr=io.StringIO(), **kwargs)
    return out.getvalue()


class ReadVillagesTests(TempFilesMixin, SimpleTestCase):
    def test_tanah_laut_rows_from_the_real_file(self):
        rows = read_villages(REGION_FILE, ["63.01"])
        self.assertEqual(len(rows), 135)
        self.assertIn(
            VillageRow(
                provinsi_kode="63",
                provinsi="Kalimantan Selatan",
                kabupaten_kode="63.01",
                kabupaten="Kabupaten Tanah Laut",
                kecamatan_kode="63.01.05",
                kecamatan="Bati Bati",
                kode="63.01.05.2002",
                nama="Bati-Bati",
                jenis="desa",
            ),
            rows,
        )
        self.assertEqual({row.kabupaten_kode for row in rows}, {"63.01"})

    def test_desa_adat_counts_as_desa(self):
        # Kabupaten Jayapura has desa adat (code group 3xxx) in the real file.
        rows = read_villages(REGION_FILE, ["91.03"])
        adat = [row for row in rows if row.kode.rsplit(".", 1)[1].startswith("3")]
        self.assertTrue(adat)
        self.assertEqual({row.jenis for row in adat}, {"desa"})

    def test_desa_adat_in_a_small_file(self):
        path = self.write_csv([village("99.01.01.3001", "Desa Adat Uji", jenis="desa_adat")])
        [row] = read_villages(path, ["99"])
        self.assertEqual(
            (row.kode, row.nama, row.jenis), ("99.01.01.3001", "Desa Adat Uji", "desa")
        )

    def test_selection_by_provinsi_or_kabupaten(self):
        path = self.write_csv(uji_villages(8) + uji_villages(2, provinsi="98"))
        cases = [
            (["99"], {"99.01", "99.02"}, 8),
            (["99.02"], {"99.02"}, 4),
            (["99.01", "98"], {"99.01", "98.01", "98.02"}, 6),
            (None, {"99.01", "99.02", "98.01", "98.02"}, 10),
        ]
        for codes, kabupaten, count in cases:
            with self.subTest(codes=codes):
                rows = read_villages(path, codes)
                self.assertEqual({row.kabupaten_kode for row in rows}, kabupaten)
                self.assertEqual(len(rows), count)

    def test_values_and_selection_codes_are_trimmed(self):
        row = village("99.01.01.2001", "Desa Uji")
        path = self.write_csv([{key: f" {value} " for key, value in row.items()}])
        [loaded] = read_villages(path, [" 99.01 "])
        self.assertEqual((loaded.kode, loaded.nama), ("99.01.01.2001", "Desa Uji"))

    def test_gzip_is_recognised_by_content_not_name(self):
        rows = uji_villages(3)
        cases = [
            ("plain.csv.gz", False),
            ("packed.csv", True),
        ]
        for name, gz in cases:
            with self.subTest(name=name):
                path = self.write_csv(rows, name=name, gz=gz)
                self.assertEqual(len(read_villages(path, ["99"])), 3)

    def test_malformed_selection_codes_are_refused(self):
        path = self.write_csv(uji_villages(2))
        for code in ("99.1", "990", "99.01.01", "99-01", ""):
            with self.subTest(code=code), self.assertRaisesMessage(RegionFileError, "tidak sah"):
                read_villages(path, [code])

    def test_bkkbn_undotted_kabupaten_code_selects_the_same_villages(self):
        path = self.write_csv(uji_villages(2))
        self.assertEqual(read_villages(path, ["9901"]), read_villages(path, ["99.01"]))

    def test_a_bad_row_outside_the_selection_does_not_block_it(self):
        bad = village("98.01.01.2001") | {"kode": "98.01.01.X"}
        path = self.write_csv(uji_villages(2) + [bad])
        self.assertEqual(len(read_villages(path, ["99"])), 2)
        with self.assertRaisesMessage(RegionFileError, "Baris 4: nilai tidak sah pada kolom kode."):
            read_villages(path, None)

    def test_missing_file(self):
        with self.assertRaisesMessage(RegionFileError, "Berkas wilayah tidak ditemukan"):
            read_villages(self.tmp / "tidak-ada.csv.gz", ["99"])

    def test_header_only(self):
        path = self.write_csv([])
        with self.assertRaisesMessage(RegionFileError, "tidak berisi satu desa pun"):
            read_villages(path, None)


class LoadRegionIntoEmptyDatabaseTests(TestCase):
    """Tanah Laut loaded from the shipped file into a database with no regions at all."""

    @classmethod
    def setUpTestData(cls):
        Kampung.objects.all().delete()
        Kecamatan.objects.all().delete()
        Kabupaten.objects.all().delete()
        Provinsi.objects.all().delete()
        cls.output = load("63.01")

    def test_one_kampung_per_village_of_tanah_laut(self):
        self.assertEqual(region_counts(), (1, 1, 11, 135))
        self.assertIn("135 desa/kelurahan dimuat.", self.output)
        kabupaten = Kabupaten.objects.select_related("provinsi").get()
        self.assertEqual(
            (kabupaten.kode, kabupaten.nama, kabupaten.provinsi.kode, kabupaten.provinsi.nama),
            ("63.01", "Kabupaten Tanah Laut", "63", "Kalimantan Selatan"),
        )

    def test_130_desa_and_5_kelurahan_all_in_pelaihari(self):
        self.assertEqual(Kampung.objects.filter(jenis="desa").count(), 130)
        kelurahan = Kampung.objects.filter(jenis="kelurahan")
        self.assertEqual(kelurahan.count(), 5)
        self.assertEqual(set(kelurahan.values_list("kecamatan__nama", flat=True)), {"Pelaihari"})
        self.assertTrue(
            all(
                kode.startswith("63.01.03.1")
                for kode in kelurahan.values_list("desa_kode", flat=True)
            )
        )

    def test_real_codes_and_names(self):
        bati_bati = Kampung.objects.select_related("kecamatan").get(desa_kode="63.01.05.2002")
        self.assertEqual(bati_bati.desa_nama, "Bati-Bati")
        self.assertEqual(bati_bati.jenis, "desa")
        self.assertEqual(
            (bati_bati.kecamatan.kode, bati_bati.kecamatan.nama), ("63.01.05", "Bati Bati")
        )
        self.assertEqual(Kecamatan.objects.get(kode="63.01.03").kampung.count(), 20)

    def test_new_kampung_have_no_official_level_yet(self):
        self.assertFalse(Kampung.objects.filter(official_level__isnull=False).exists())
        self.assertEqual(Kampung.objects.filter(is_active=True).count(), 135)


class LoadRegionCommandTests(TempFilesMixin, TestCase):
    def test_provinsi_code_loads_all_its_kabupaten(self):
        self.assertFalse(Provinsi.objects.filter(kode="65").exists())
        load("65")
        self.assertEqual(
            list(Kabupaten.objects.filter(provinsi_id="65").values_list("kode", flat=True)),
            ["65.01", "65.02", "65.03", "65.04", "65.71"],
        )
        self.assertEqual(
            Kampung.objects.filter(kecamatan__kabupaten__provinsi_id="65").count(), 482
        )

    def test_reloading_tanah_laut_keeps_counts_and_official_levels(self):
        levels = dict(
            Kampung.objects.in_kabupaten("63.01").values_list("desa_kode", "official_level_id")
        )
        before = region_counts()
        load("63.01")
        self.assertEqual(region_counts(), before)
        self.assertEqual(
            dict(
                Kampung.objects.in_kabupaten("63.01").values_list("desa_kode", "official_level_id")
            ),
            levels,
        )
        self.assertEqual(
            Kampung.objects.in_kabupaten("63.01").filter(official_level__isnull=False).count(), 135
        )

    def test_running_twice_duplicates_nothing(self):
        path = self.write_csv(uji_villages(6))
        before = region_counts()
        load("99", file=path)
        once = region_counts()
        self.assertEqual(once, (before[0] + 1, before[1] + 2, before[2] + 4, before[3] + 6))
        load("99", file=path)
        self.assertEqual(region_counts(), once)

    def test_renamed_village_is_renamed_not_duplicated(self):
        first = self.write_csv([village("99.01.01.2001", "Kayu Abang")], name="a.csv")
        load("99", file=first)
        kampung = Kampung.objects.get(desa_kode="99.01.01.2001")
        renamed = village("99.01.01.2001", "Kayu Habang", jenis="kelurahan", kecamatan="Kec Baru")
        second = self.write_csv([renamed], name="b.csv")
        before = region_counts()
        load("99", file=second)
        self.assertEqual(region_counts(), before)
        kampung.refresh_from_db()
        self.assertEqual((kampung.desa_nama, kampung.jenis), ("Kayu Habang", "kelurahan"))
        self.assertEqual(Kecamatan.objects.get(kode="99.01.01").nama, "Kec Baru")

    def test_all_loads_every_row_of_the_file(self):
        path = self.write_csv(uji_villages(4) + uji_villages(2, provinsi="98"))
        load(all=True, file=path)
        self.assertEqual(
            sorted(Provinsi.objects.filter(kode__in=["98", "99"]).values_list("kode", flat=True)),
            ["98", "99"],
        )
        self.assertEqual(Kampung.objects.filter(desa_kode__regex=r"^9[89]\.").count(), 6)

    def test_unknown_code_is_named_and_nothing_is_written(self):
        before = region_counts()
        with self.assertRaisesMessage(CommandError, "Kode wilayah tidak dikenal: 63.99."):
            load("65", "63.99")
        self.assertEqual(region_counts(), before)

    def test_code_and_all_are_exclusive_and_one_is_required(self):
        path = self.write_csv(uji_villages(2))
        for args, kwargs in (((), {}), (("99",), {"all": True})):
            with (
                self.subTest(args=args, kwargs=kwargs),
                self.assertRaisesMessage(CommandError, "Sebutkan kode wilayah, atau --all"),
            ):
                load(*args, file=path, **kwargs)

    def test_malformed_selection_code(self):
        with self.assertRaisesMessage(CommandError, "Kode wilayah '63.1' tidak sah"):
            load("63.1")

    def test_missing_file(self):
        with self.assertRaisesMessage(CommandError, "Berkas wilayah tidak ditemukan"):
            load("99", file=self.tmp / "hilang.csv.gz")


class MalformedFileTests(TempFilesMixin, TestCase):
    """Every bad file stops the command with a readable message before anything is written."""

    def assertRefused(self, path: Path, message: str, codes=("99",)):
        before = region_counts()
        with self.assertRaisesMessage(CommandError, message):
            load(*codes, file=path)
        self.assertEqual(region_counts(), before)
        self.assertFalse(Provinsi.objects.filter(kode="99").exists())

    def big_gzip(self) -> bytes:
        data = gzip.compress(csv_bytes(uji_villages(800)))
        self.assertGreater(len(data), 4000)
        return data

    def test_truncated_gzip(self):
        data = self.big_gzip()
        self.assertRefused(self.write("potong.csv.gz", data[: len(data) // 2]), CORRUPT)

    def test_corrupted_gzip(self):
        data = self.big_gzip()
        # A damaged block near the start breaks decompression itself (zlib.error).
        for position in (30, 100):
            with self.subTest(position=position):
                damaged = bytearray(data)
                damaged[position] ^= 0xFF
                self.assertRefused(self.write("rusak.csv.gz", bytes(damaged)), CORRUPT)
        # Further in, the garbage may decode and fail as a bad row before the CRC is checked:
        # a different message, but still refused and still nothing written.
        damaged = bytearray(data)
        damaged[len(data) // 2] ^= 0xFF
        self.assertRefused(self.write("rusak.csv.gz", bytes(damaged)), "")

    def test_binary_file(self):
        self.assertRefused(
            self.write("arsip.csv.gz", b"PK\x03\x04\x14\x00\x00\x00\x08\x00\xff\xfe" * 50), CORRUPT
        )

    def test_text_that_is_not_the_region_csv(self):
        cases = [
            ("kosong.csv", b""),
            ("teks.csv", b"Ini bukan berkas wilayah.\nSama sekali bukan.\n"),
            # Spreadsheet export with semicolons: one long column, none of ours.
            ("titik-koma.csv", csv_bytes(uji_villages(2)).replace(b",", b";")),
        ]
        for name, data in cases:
            with self.subTest(name=name):
                self.assertRefused(
                    self.write(name, data), "Berkas wilayah tidak memiliki kolom: provinsi_kode,"
                )

    def test_missing_column_is_named(self):
        columns = [column for column in COLUMNS if column != "jenis"]
        path = self.write_csv(uji_villages(3), columns=columns)
        self.assertRefused(path, "Berkas wilayah tidak memiliki kolom: jenis.")

    def test_bad_row_is_reported_with_its_line_and_column(self):
        good = uji_villages(2)  # lines 2 and 3; the bad row is line 4
        cases = [
            ({"kode": "99.01.01.20x1"}, "Baris 4: nilai tidak sah pada kolom kode."),
            ({"kode": "99.01.02.2001"}, "Baris 4: nilai tidak sah pada kolom kode."),
            (
                {"kecamatan_kode": "99.02.01"},
                "Baris 4: nilai tidak sah pada kolom kecamatan_kode, kode.",
            ),
            (
                {"kabupaten_kode": "99.1"},
                "Baris 4: nilai tidak sah pada kolom kabupaten_kode, kecamatan_kode.",
            ),
            ({"jenis": "dusun"}, "Baris 4: nilai tidak sah pada kolom jenis."),
            ({"nama": "  "}, "Baris 4: nilai tidak sah pada kolom nama."),
        ]
        for change, message in cases:
            with self.subTest(change=change):
                bad = village("99.01.01.2901") | change
                self.assertRefused(self.write_csv(good + [bad] + uji_villages(2, "97")), message)

    def test_duplicate_village_code(self):
        rows = uji_villages(3) + [village("99.01.01.2001", "Nama Lain")]
        self.assertRefused(
            self.write_csv(rows), "Baris 5: kode desa 99.01.01.2001 muncul dua kali."
        )

    def test_non_utf8_bytes(self):
        data = csv_bytes(
            uji_villages(3)
        ) + "99,Provinsi 99,99.01,Kab,99.01.01,Kec,99.01.01.2999,Désa,desa\n".encode("latin-1")
        self.assertRefused(self.write("latin1.csv", data), CORRUPT)

    def test_write_failure_midway_leaves_nothing(self):
        rows = read_villages(self.write_csv(uji_villages(6)), ["99"])

        class Interrupted(Exception):
            pass

        class StopAfterFirstBatch:
            def update(self, count):
                raise Interrupted

        before = region_counts()
        with self.assertRaises(Interrupted):
            regions_load(rows=rows, batch_size=2, progress=StopAfterFirstBatch())
        self.assertEqual(region_counts(), before)
