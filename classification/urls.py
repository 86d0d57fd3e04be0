from django.urls import path

from . import views

app_name = "classification"


urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("kabupaten/<str:kode>/", views.DashboardView.as_view(), name="district_dashboard"),
    path("publik/", views.PublicSummaryView.as_view(), name="public_summary"),
    path("kampung/", views.KampungListView.as_view(), name="kampung_list"),
    path("kampung/<str:kode>/", views.KampungDetailView.as_view(), name="kampung_detail"),
    path(
        "kampung/<str:kode>/ubah/",
        views.KampungIdentityUpdateView.as_view(),
        name="kampung_identity_edit",
    ),
    path("kampung/<str:kode>/profil/", views.ProfileListView.as_view(), name="kampung_profile"),
    path(
        "kampung/<str:kode>/profil/ubah/",
        views.ProfileUpdateView.as_view(),
        name="kampung_profile_edit",
    ),
    path("kampung/<str:kode>/angka/", views.FiguresListView.as_view(), name="kampung_figures"),
    path(
        "kampung/<str:kode>/angka/tambah/",
        views.FiguresCreateView.as_view(),
        name="kampung_figures_add",
    ),
    path("kampung/<str:kode>/kegiatan/", views.ActivityListView.as_view(), name="activity_list"),
    path(
        "kampung/<str:kode>/kegiatan/tambah/",
        views.ActivityFormView.as_view(),
        name="activity_add",
    ),
    path(
        "kampung/<str:kode>/kegiatan/<int:pk>/ubah/",
        views.ActivityFormView.as_view(),
        name="activity_edit",
    ),
    path(
        "kampung/<str:kode>/kegiatan/<int:pk>/hapus/",
        views.ActivityDeleteView.as_view(),
        name="activity_delete",
    ),
    path(
        "kampung/<str:kode>/program/",
        views.KampungProgramListView.as_view(),
        name="kampung_program_list",
    ),
    path(
        "kampung/<str:kode>/program/<int:pk>/ubah/",
        views.KampungProgramUpdateView.as_view(),
        name="kampung_program_edit",
    ),
    path(
        "kampung/<str:kode>/program/<int:pk>/hapus/",
        views.KampungProgramDeleteView.as_view(),
        name="kampung_program_delete",
    ),
    path("publik/kampung/<str:kode>/", views.PublicKampungView.as_view(), name="public_kampung"),
]
