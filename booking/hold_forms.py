"""Forms of a hold's confirmation: the 6-digit code, sending it again, the e-mail's link."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import submit_helper

CODE_RE = re.compile(r"^\d{6}$")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code à 6 chiffres"),
        help_text=_("Reçu par e-mail. Pensez à regarder dans les courriers indésirables."),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*", "size": 8}
        ),
        error_messages={"required": _("Saisissez le code reçu par e-mail.")},
    )

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(submit_label or _("Confirmer mon rendez-vous"))

    def clean_code(self) -> str:
        code = re.sub(r"\s", "", self.cleaned_data["code"])
        if not CODE_RE.match(code):
            raise forms.ValidationError(_("Le code comporte 6 chiffres, par exemple 123456."))
        return code


class ResendForm(forms.Form):
    """Nothing to fill in: the button asks for the e-mail again."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Renvoyer l'e-mail"))
        self.helper.inputs[0].field_classes = "fr-btn--secondary"


class ConfirmLinkForm(forms.Form):
    """The e-mail's link opens a page with this button: following a link changes nothing by itself."""

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(submit_label or _("Confirmer mon rendez-vous"))
