"""Messages of Django and its apps whose Indonesian wording the project chooses.

Never imported: ``makemessages`` reads these calls, so the msgids land in ``locale/*/django.po``,
and the project's catalogs (``LOCALE_PATHS``) take precedence over every installed app's. Without
a pin, the wording depends on the order of ``INSTALLED_APPS``: Django says "Bidang ini tidak
boleh kosong." for a required field, Django REST framework (listed earlier, so it wins) "Bidang
ini harus diisi.". The ``id`` catalog gives the wording shown; ``en`` keeps Django's English.
"""

from django.utils.translation import gettext_noop

PINNED = (
    # django.forms.Field's "required" error, shown under every empty required field.
    gettext_noop("This field is required."),
)
