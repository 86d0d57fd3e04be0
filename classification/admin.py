"""The Django admin for superusers: regions, kampung, levels and records, read mostly."""

from django.contrib import admin

from .models import (
    ClassificationLevel,
    Kabupaten,
    Kampung,
    Kecamatan,
    LevelChange,
    PokjaMembership,
    Provinsi,
    RegionScope,
    TargetPolicy,
)


@admin.register(Provinsi)
class ProvinsiAdmin(admin.ModelAdmin):
    list_display = ("kode", "nama")
    search_fields = ("kode", "nama")


@admin.register(Kabupaten)
class KabupatenAdmin(admin.ModelAdmin):
    list_display = ("kode", "nama", "provinsi", "demo_levels")
    list_filter = ("provinsi",)
    search_fields = ("kode", "nama")


@admin.register(Kecamatan)
class KecamatanAdmin(admin.ModelAdmin):
    list_display = ("kode", "nama", "kabupaten")
    search_fields = ("kode", "nama")
    list_select_related = ("kabupaten",)
    raw_id_fields = ("kabupaten",)


@admin.register(ClassificationLevel)
class ClassificationLevelAdmin(admin.ModelAdmin):
    list_display = ("rank", "code", "label", "bkkbn_code", "colour")
    # The codes and ranks are what the rules work on; only labels and colours are the district's.
    readonly_fields = ("code", "rank")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Kampung)
class KampungAdmin(admin.ModelAdmin):
    list_display = ("desa_kode", "desa_nama", "jenis", "kecamatan", "official_level", "is_active")
    list_filter = ("official_level", "jenis", "is_active")
    search_fields = ("desa_kode", "desa_nama", "nama_kampung")
    list_select_related = ("kecamatan", "official_level")
    raw_id_fields = ("kecamatan",)
    # The official level changes only through LevelChange (services.kampung_set_level).
    readonly_fields = ("official_level", "official_level_since", "version")
    show_full_result_count = False
    list_per_page = 50  # as /kampung/: the benchmark compares the two page for page


@admin.register(LevelChange)
class LevelChangeAdmin(admin.ModelAdmin):
    list_display = ("kampung", "level_from", "level_to", "effective_date", "source", "changed_by")
    list_filter = ("source", "level_to")
    search_fields = ("kampung__desa_kode", "kampung__desa_nama")
    list_select_related = ("kampung", "level_from", "level_to", "changed_by")
    date_hierarchy = "effective_date"

    # History is append-only: it is written by the level service, never edited by hand.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TargetPolicy)
class TargetPolicyAdmin(admin.ModelAdmin):
    list_display = ("kabupaten", "baseline_date", "annual_percent", "rounding")


@admin.register(PokjaMembership)
class PokjaMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "kampung", "jabatan")
    raw_id_fields = ("user", "kampung")
    list_select_related = ("user", "kampung")


@admin.register(RegionScope)
class RegionScopeAdmin(admin.ModelAdmin):
    list_display = ("user", "kabupaten", "provinsi")
    raw_id_fields = ("user", "kabupaten")
    list_select_related = ("user", "kabupaten", "provinsi")
