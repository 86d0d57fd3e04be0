"""The classification app's configuration (label ``classification``)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassificationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "classification"
    verbose_name = _("Klasifikasi Kampung KB")
