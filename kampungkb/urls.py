from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("masuk/", auth_views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("classification.urls")),
]
# Uploaded photos in development; in production the web server serves MEDIA_ROOT.
# (static() adds nothing when DEBUG is off.)
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
