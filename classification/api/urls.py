"""URLs of the read-only JSON API, included at ``/api/v1/``."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from .permissions import SignedIn
from .views import DistrictSummaryView, KampungDetailView, KampungListView

app_name = "api"


urlpatterns = [
    path(
        "kabupaten/<str:kode>/ringkasan/",
        DistrictSummaryView.as_view(),
        name="kabupaten-ringkasan",
    ),
    path("kampung/", KampungListView.as_view(), name="kampung-list"),
    path("kampung/<str:kode>/", KampungDetailView.as_view(), name="kampung-detail"),
    # Any logged-in user (drf-spectacular serves it to anyone by default).
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[SignedIn]),
        name="schema",
    ),
]
