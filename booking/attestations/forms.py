"""Forms of the certificate pages: they validate input, nothing more."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from booking.antibot.forms import HumanCheckForm
from booking.forms import submit_helper
from booking.identity import clean_visible_text

from .codes import normalise_code


class CertificateRequestForm(HumanCheckForm):
    """The name to print on the certificate: optional, since the fact certified is about the procedure."""

    last_name = forms.CharField(
        label=_("Nom de famille"),
        max_length=150,
        required=False,
        help_text=_("Il figurera sur l'attestation tel que vous le saisissez : il n'est pas vérifié."),
    )
    first_names = forms.CharField(label=_("Prénom(s)"), max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Obtenir l'attestation"))

    def clean_last_name(self) -> str:
        return clean_visible_text(self.cleaned_data["last_name"]).strip()

    def clean_first_names(self) -> str:
        return clean_visible_text(self.cleaned_data["first_names"]).strip()

    def clean(self):
        data = super().clean()
        if data.get("first_names") and not data.get("last_name") and "last_name" not in self.errors:
            self.add_error("last_name", _("Indiquez aussi votre nom de famille, ou laissez les deux champs vides."))
        return data


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Code de vérification"),
        max_length=300,  # the whole link from the QR code may be pasted
        help_text=_("12 caractères, imprimés sur l'attestation (par exemple ABCD-EFGH-JKMN), ou le lien du QR code."),
        error_messages={"required": _("Saisissez le code imprimé sur l'attestation.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Vérifier"))

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _(
                    "Ce code n'a pas la forme d'un code de vérification : 12 lettres et chiffres, "
                    "par exemple ABCD-EFGH-JKMN."
                ),
                code="malformed",
            )
        return code
