"""The site's URLs: pages, the API under /api/v1/; every view declares its gate (views.base)."""

from django.urls import path

from .views import accounts as account_views
from .views import audit as audit_views
from .views import imports as import_views
from .views import reports as report_views
from .views import rollup as rollup_views
from .views import target as target_views
from .views import verification as verification_views
from .views.dashboard import DashboardView
from .views.kampung import KampungDetailView, KampungIdentityUpdateView, KampungListView
from .views.public import PublicKampungView, PublicSummaryView
from .views.records import (
    ActivityDeleteView,
    ActivityFormView,
    ActivityListView,
    FiguresCreateView,
    FiguresListView,
    KampungProgramDeleteView,
    KampungProgramListView,
    KampungProgramUpdateView,
    ProfileListView,
    ProfileUpdateView,
)

app_name = "classification"


urlpatterns = [
    path("", DashboardView.as_view(), name="dashboard"),
    path("kabupaten/<str:kode>/", DashboardView.as_view(), name="district_dashboard"),
    path("provinsi/<str:kode>/", rollup_views.ProvinceRollupView.as_view(), name="province_rollup"),
    path("nasional/", rollup_views.NationalRollupView.as_view(), name="national_rollup"),
    path("publik/", PublicSummaryView.as_view(), name="public_summary"),
    path("kampung/", KampungListView.as_view(), name="kampung_list"),
    path("target/", target_views.TargetView.as_view(), name="target"),
    path("kelengkapan/", report_views.CompletenessView.as_view(), name="completeness"),
    path("laporan/", report_views.ReportView.as_view(), name="report"),
    path("kampung/<str:kode>/", KampungDetailView.as_view(), name="kampung_detail"),
    path(
        "kampung/<str:kode>/ubah/",
        KampungIdentityUpdateView.as_view(),
        name="kampung_identity_edit",
    ),
    path("kampung/<str:kode>/profil/", ProfileListView.as_view(), name="kampung_profile"),
    path(
        "kampung/<str:kode>/profil/ubah/",
        ProfileUpdateView.as_view(),
        name="kampung_profile_edit",
    ),
    path("kampung/<str:kode>/angka/", FiguresListView.as_view(), name="kampung_figures"),
    path(
        "kampung/<str:kode>/angka/tambah/",
        FiguresCreateView.as_view(),
        name="kampung_figures_add",
    ),
    path("kampung/<str:kode>/kegiatan/", ActivityListView.as_view(), name="activity_list"),
    path(
        "kampung/<str:kode>/kegiatan/tambah/",
        ActivityFormView.as_view(),
        name="activity_add",
    ),
    path(
        "kampung/<str:kode>/kegiatan/<int:pk>/ubah/",
        ActivityFormView.as_view(),
        name="activity_edit",
    ),
    path(
        "kampung/<str:kode>/kegiatan/<int:pk>/hapus/",
        ActivityDeleteView.as_view(),
        name="activity_delete",
    ),
    path(
        "kampung/<str:kode>/program/",
        KampungProgramListView.as_view(),
        name="kampung_program_list",
    ),
    path(
        "kampung/<str:kode>/program/<int:pk>/ubah/",
        KampungProgramUpdateView.as_view(),
        name="kampung_program_edit",
    ),
    path(
        "kampung/<str:kode>/program/<int:pk>/hapus/",
        KampungProgramDeleteView.as_view(),
        name="kampung_program_delete",
    ),
    path("publik/kampung/<str:kode>/", PublicKampungView.as_view(), name="public_kampung"),
    # The audit trail: who changed what, when (DP3A staff and reviewers).
    path("riwayat/", audit_views.AuditLogView.as_view(), name="audit_log"),
    # Pokja accounts, managed by DP3A staff of the kabupaten.
    path("pengguna/", account_views.PokjaAccountListView.as_view(), name="pokja_accounts"),
    path(
        "pengguna/tambah/",
        account_views.PokjaAccountCreateView.as_view(),
        name="pokja_account_add",
    ),
    path(
        "pengguna/<int:pk>/sandi/",
        account_views.PokjaAccountPasswordView.as_view(),
        name="pokja_account_password",
    ),
    path(
        "pengguna/<int:pk>/nonaktifkan/",
        account_views.PokjaAccountDeactivateView.as_view(),
        name="pokja_account_deactivate",
    ),
    path(
        "pengguna/<int:pk>/aktifkan/",
        account_views.PokjaAccountActivateView.as_view(),
        name="pokja_account_activate",
    ),
    # The verification workflow: Pokja submits, DP3A verifies or returns, DP3A corrects a level.
    path(
        "kampung/<str:kode>/penilaian/",
        verification_views.AssessmentView.as_view(),
        name="assessment",
    ),
    path(
        "kampung/<str:kode>/level/",
        verification_views.LevelCorrectView.as_view(),
        name="level_correct",
    ),
    path(
        "verifikasi/",
        verification_views.VerificationQueueView.as_view(),
        name="verification_queue",
    ),
    path(
        "verifikasi/<int:pk>/",
        verification_views.AssessmentReviewView.as_view(),
        name="assessment_review",
    ),
    # Import a CSV/XLSX of official levels or monthly figures: upload, preview, apply (DP3A).
    path("impor/", import_views.ImportUploadView.as_view(), name="import"),
    path("impor/pratinjau/", import_views.ImportPreviewView.as_view(), name="import_preview"),
]
