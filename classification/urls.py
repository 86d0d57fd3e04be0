from django.urls import path

from . import views

app_name = "classification"


urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("kabupaten/<str:kode>/", views.DashboardView.as_view(), name="district_dashboard"),
    path("publik/", views.PublicSummaryView.as_view(), name="public_summary"),
    path("kampung/", views.KampungListView.as_view(), name="kampung_list"),
    path("kampung/<str:kode>/", views.KampungDetailView.as_view(), name="kampung_detail"),
]
