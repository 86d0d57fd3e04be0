"""Logging in and Pokja accounts: the login form, new passwords, creating an account."""

from __future__ import annotations

import itertools
from operator import attrgetter

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, SetPasswordMixin
from django.contrib.auth.hashers import check_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from ..models import (
    Kampung,
    PokjaMembership,
)

# --------------------------------------------------------------------------------------------
# Logging in, and Pokja accounts managed by DP3A staff (written by
# ``classification.services.accounts``)
# --------------------------------------------------------------------------------------------


class LoginForm(AuthenticationForm):
    """The login form, with messages written for Bahasa Indonesia.

    Django's own Indonesian "invalid login" text repeats itself ("nama pengguna nama pengguna").
    ``ModelBackend`` never authenticates an inactive account, so Django would give a deactivated
    Pokja member the same "wrong password" message: with the right password they are told why.
    """

    error_messages = {
        "invalid_login": _("Nama pengguna atau sandi salah. Perhatikan huruf besar dan kecil."),
        "inactive": _("Akun ini dinonaktifkan. Hubungi staf DP3A."),
    }

    def get_invalid_login_error(self):
        if self._is_deactivated_account():
            return forms.ValidationError(self.error_messages["inactive"], code="inactive")
        return forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")

    def _is_deactivated_account(self) -> bool:
        # A locked-out login gets the lockout page whatever the form says: check nothing more.
        if getattr(self.request, "axes_locked_out", False):
            return False
        User = get_user_model()
        user = (
            User._default_manager.filter(
                **{User.USERNAME_FIELD: self.cleaned_data.get("username")}, is_active=False
            )
            .only("password")
            .first()
        )
        # hashers.check_password, not user.check_password: a refused login never saves a rehash.
        return user is not None and check_password(self.cleaned_data.get("password"), user.password)


def password_rules() -> str:
    """AUTH_PASSWORD_VALIDATORS in one sentence, for whoever chooses a password for a Pokja."""
    min_length = next(
        (
            validator.min_length
            for validator in password_validation.get_default_password_validators()
            if isinstance(validator, password_validation.MinimumLengthValidator)
        ),
        1,
    )
    return _(
        "Minimal %(min_length)d karakter, bukan sandi yang umum dipakai, tidak hanya angka, "
        "dan tidak mirip nama pengguna atau nama."
    ) % {"min_length": min_length}


class NewPasswordMixin(SetPasswordMixin):
    """``password1``/``password2`` (declared on each form) must match and pass the validators."""

    error_messages = {"password_mismatch": _("Kedua sandi tidak sama.")}

    def _setup_password_fields(self) -> None:
        self.fields["password1"].help_text = password_rules()
        self.fields["password2"].help_text = _("Ketik sandi yang sama sekali lagi.")

    def _clean_passwords(self, user) -> None:
        self.validate_passwords()
        if "password2" not in self.errors:
            # Next to the first field, where the password was chosen.
            self.validate_password_for_user(user, password_field_name="password1")


class KampungByKecamatan(forms.models.ModelChoiceIterator):
    """Kampung grouped under their kecamatan (``<optgroup>``), so a long list stays usable."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for _kode, group in itertools.groupby(self.queryset, key=attrgetter("kecamatan_id")):
            kampung = list(group)
            yield (kampung[0].kecamatan.nama, [self.choice(item) for item in kampung])


class KampungChoiceField(forms.ModelChoiceField):
    """A kampung chosen by its desa code; BKKBN's undotted ``6301012002`` is accepted too."""

    iterator = KampungByKecamatan

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, to_field_name="desa_kode", **kwargs)

    def to_python(self, value):
        if isinstance(value, str) and value.isdigit() and len(value) == 10:
            value = f"{value[:2]}.{value[2:4]}.{value[4:6]}.{value[6:]}"
        return super().to_python(value)

    def label_from_instance(self, kampung) -> str:
        return _("%(desa)s (Kec. %(kecamatan)s)") % {
            "desa": kampung.desa_nama,
            "kecamatan": kampung.kecamatan.nama,
        }


USERNAME_ATTRS = {"autocapitalize": "none", "autocomplete": "off", "spellcheck": "false"}


class PokjaAccountForm(NewPasswordMixin, forms.Form):
    """A new Pokja login, seated on one kampung the DP3A staff member manages."""

    kampung = KampungChoiceField(
        Kampung.objects.none(),
        label=_("Kampung"),
        empty_label=_("— Pilih kampung —"),
        error_messages={
            "required": _("Pilih kampung tempat anggota Pokja ini bertugas."),
            "invalid_choice": _("Pilih kampung dari daftar: hanya kampung di kabupaten Anda."),
        },
    )
    jabatan = forms.ChoiceField(
        label=_("Jabatan di Pokja"),
        choices=PokjaMembership.Jabatan.choices,
        initial=PokjaMembership.Jabatan.ANGGOTA,
    )
    first_name = forms.CharField(
        label=_("Nama depan"),
        max_length=150,
        error_messages={"required": _("Isi nama anggota Pokja.")},
    )
    last_name = forms.CharField(label=_("Nama belakang"), max_length=150, required=False)
    username = forms.CharField(
        label=_("Nama pengguna"),
        max_length=150,
        help_text=_("Untuk masuk: huruf, angka, dan . @ + - _ tanpa spasi, mis. pokja.tabanio."),
        validators=[
            UnicodeUsernameValidator(
                message=_(
                    "Nama pengguna hanya boleh berisi huruf, angka, dan karakter . @ + - _ "
                    "(tanpa spasi)."
                )
            )
        ],
        widget=forms.TextInput(attrs=USERNAME_ATTRS),
    )
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("Sandi"), label2=_("Ulangi sandi")
    )

    def __init__(self, *args, kampung_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kampung"].queryset = kampung_queryset
        self._setup_password_fields()

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if get_user_model()._default_manager.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Nama pengguna ini sudah dipakai."), code="unique")
        return username

    def clean(self):
        cleaned_data = super().clean()
        # The similarity check needs the names and username typed so far.
        self._clean_passwords(
            get_user_model()(
                username=cleaned_data.get("username", ""),
                first_name=cleaned_data.get("first_name", ""),
                last_name=cleaned_data.get("last_name", ""),
            )
        )
        return cleaned_data

    def account_fields(self) -> dict:
        """The cleaned values for ``services.accounts.pokja_account_create``."""
        data = self.cleaned_data
        return {
            "kampung": data["kampung"],
            "username": data["username"],
            "password": data["password1"],
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "jabatan": data["jabatan"],
        }


class PokjaPasswordForm(NewPasswordMixin, forms.Form):
    """A new password for a Pokja account, chosen by DP3A staff (who then hand it over)."""

    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("Sandi baru"), label2=_("Ulangi sandi baru")
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self._setup_password_fields()

    def clean(self):
        cleaned_data = super().clean()
        self._clean_passwords(self.user)
        return cleaned_data
