"""Forms of the lottery: registering, and finding one's registration hash in the published draw."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from booking.request_forms import PlaceRequestForm


class RegistrationForm(PlaceRequestForm):
    """Registering for a lottery opening (human_check "lottery"): the person's request, nothing more."""

    submit_label = _("M'inscrire au tirage et recevoir le code")


class FindHashForm(forms.Form):
    """A GET form: the page shows where this hash stands in the draw."""

    empreinte = forms.CharField(
        label=_("Votre empreinte d'inscription"),
        help_text=_("64 caractères, indiqués dans vos e-mails et sur la page de votre inscription."),
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
