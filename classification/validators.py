"""Field validators with messages in Bahasa Indonesia."""

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _

MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]


def validate_photo(upload: FieldFile) -> None:
    """A kampung photo: JPEG, PNG or WebP, at most 5 MB (ImageField checks it is an image)."""
    FileExtensionValidator(
        PHOTO_EXTENSIONS, message=_("Foto harus berupa berkas JPG, PNG, atau WebP.")
    )(upload)
    # A photo already stored was measured when it was uploaded: measuring it again would read
    # the storage on every save, and fail outright if the file has gone missing.
    if getattr(upload, "_committed", False):
        return
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("Ukuran foto paling besar %(max)s MB."), params={"max": MAX_PHOTO_BYTES // 2**20}
        )
