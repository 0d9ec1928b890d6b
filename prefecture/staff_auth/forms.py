"""Forms of the staff login: they validate input; the password check is Django's (behind the lockout)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from prefecture.forms import submit_helper

MAX_PASSWORD_LENGTH = 1000


class StaffLoginForm(AuthenticationForm):
    """Username and password. Either wrong gets the same answer, so that a login name cannot be guessed."""

    error_messages = {
        "invalid_login": _("Identifiant ou mot de passe incorrect. Vérifiez-les et réessayez."),
        "inactive": _("Identifiant ou mot de passe incorrect. Vérifiez-les et réessayez."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Identifiant")
        # AuthenticationForm sets the length but does not check it: a longer name would reach the
        # lockout's table, whose column refuses it, and fail with a 500.
        self.fields["username"].validators.append(MaxLengthValidator(self.fields["username"].max_length))
        self.fields["username"].error_messages.update(
            required=_("Saisissez votre identifiant."),
            max_length=_("Un identifiant a au plus %(limit_value)d caractères."),
        )
        self.fields["password"].label = _("Mot de passe")
        self.fields["password"].error_messages.update(
            required=_("Saisissez votre mot de passe."),
            max_length=_("Un mot de passe a au plus %(limit_value)d caractères."),
        )
        # Hashing a megabyte of password would hold a worker for nothing.
        self.fields["password"].validators.append(MaxLengthValidator(MAX_PASSWORD_LENGTH))
        self.helper = submit_helper(_("Continuer"))


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code de vérification"),
        help_text=_("Les 6 chiffres affichés par votre application d'authentification, ou un de vos codes de secours."),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "autocapitalize": "off", "spellcheck": "false"}
        ),
        error_messages={
            "required": _("Saisissez le code."),
            "max_length": _("Un code a au plus %(limit_value)d caractères."),
        },
    )

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(submit_label or _("Se connecter"))


class EnrolmentForm(CodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, submit_label=_("Activer la double authentification"), **kwargs)
        self.fields["code"].label = _("Code affiché par l'application")
        self.fields["code"].help_text = _("Les 6 chiffres, pour vérifier que l'application est bien configurée.")
        self.fields["code"].widget.attrs["inputmode"] = "numeric"


class CodesSavedForm(forms.Form):
    saved = forms.BooleanField(
        label=_("J'ai conservé ces codes en lieu sûr"),
        error_messages={"required": _("Cochez la case une fois les codes conservés : ils ne seront plus affichés.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Continuer"))
