"""The anti-robot check a public form adds: hidden fields, and a check run once the rest is valid.

A form inherits HumanCheckForm and is built with a `human_check`; its view
reads `form.proof` (which path was used) once the form is valid. The check
runs last, after the form's own fields and checks (`_post_clean`, after any
subclass's `clean`): a person who forgot a box keeps their proof (or their
ticket's waiting time) for the next try.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .pow import Proof, ProofRefused, verify_proof
from .replay import redeem
from .tickets import TooEarly, check_ticket, issue_ticket, slow_path_wait


@dataclass(frozen=True)
class HumanCheck:
    """What the check is for (`purpose`, one of pow.PURPOSES) and how hard it must be (`level`)."""

    purpose: str
    level: int = 0

    @property
    def challenge_url(self) -> str:
        return reverse("booking:antibot-challenge", kwargs={"purpose": self.purpose})

    @property
    def slow_path_seconds(self) -> int:
        return slow_path_wait(self.level)


REFUSED = _(
    "La vérification anti-robot n'a pas abouti. Renvoyez le formulaire ; si cela se reproduit, rechargez la page. "
    "Vos informations sont conservées."
)


class HumanCheckForm(forms.Form):
    altcha = forms.CharField(required=False, widget=forms.HiddenInput, max_length=4000)
    antibot_ticket = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500)

    def __init__(self, *args, human_check: HumanCheck, **kwargs):
        super().__init__(*args, **kwargs)
        self.human_check = human_check
        self.proof: Proof | None = None
        if not self.is_bound:
            self.initial["antibot_ticket"] = issue_ticket(purpose=human_check.purpose)

    def _post_clean(self):
        # After every clean(), a subclass's checks across fields included: the proof is redeemed only when
        # all else is valid.
        super()._post_clean()
        if self.errors:
            return
        try:
            self.proof = self._check(self.cleaned_data)
            redeem(self.proof)
        except TooEarly as early:
            self.add_error(None, too_early_message(early))
        except ProofRefused:
            self.add_error(None, REFUSED)

    def _check(self, data) -> Proof:
        check = self.human_check
        if data.get("altcha"):
            return verify_proof(data["altcha"], purpose=check.purpose, min_level=check.level)
        return check_ticket(data.get("antibot_ticket", ""), purpose=check.purpose, level=check.level)


def too_early_message(early: TooEarly) -> str:
    return ngettext(
        "Sans JavaScript, ce formulaire n'est accepté que %(wait)s secondes après l'ouverture de la page "
        "(une protection contre les robots). Renvoyez-le dans %(seconds)s seconde : vos informations sont "
        "conservées.",
        "Sans JavaScript, ce formulaire n'est accepté que %(wait)s secondes après l'ouverture de la page "
        "(une protection contre les robots). Renvoyez-le dans %(seconds)s secondes : vos informations sont "
        "conservées.",
        early.seconds,
    ) % {"wait": early.wait, "seconds": early.seconds}
