from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from classification.forms.accounts import LoginForm
from classification.views.base import public

urlpatterns = [
    # Signing in and out are for anyone (the gate test asks every view to declare its gate).
    path(
        "masuk/",
        public(auth_views.LoginView.as_view(authentication_form=LoginForm)),
        name="login",
    ),
    path("keluar/", public(auth_views.LogoutView.as_view()), name="logout"),
    path("admin/", admin.site.urls),
    # The language switch (Django's set_language, a POST): the choice is kept in a cookie and
    # URLs stay unprefixed.
    path("i18n/", include("django.conf.urls.i18n")),
    # Read-only JSON with its OpenAPI schema; session or token authentication.
    path("api/v1/", include("classification.api.urls")),
    path("", include("classification.urls")),
]
# Uploaded photos in development; in production the web server serves MEDIA_ROOT.
# (static() adds nothing when DEBUG is off.)
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Error pages in the site's layout and language (kampungkb/views.py); 500 is Django's own
# handler rendering the standalone templates/500.html.
handler400 = "kampungkb.views.bad_request"
handler403 = "kampungkb.views.permission_denied"
handler404 = "kampungkb.views.page_not_found"
