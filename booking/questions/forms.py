"""Forms of the information service, for residents: asking (written, then sent with the anti-robot check),
replying once, saying whether an answer helped."""

from __future__ import annotations

import unicodedata

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from booking.antibot.forms import HumanCheckForm
from booking.identity import clean_visible_text
from counters.models import Site
from prefecture.forms import submit_helper

from .models import Topic

QUESTION_MAX = 3000
DROPPED_CATEGORIES = frozenset({"Cc", "Co", "Cs"})


def clean_message_text(value: str) -> str:
    """A message as typed, over several lines: NFC, line breaks kept, control characters dropped (the
    direction marks of a right-to-left text are kept)."""
    value = unicodedata.normalize("NFC", (value or "").replace("\r\n", "\n"))
    return "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch) not in DROPPED_CATEGORIES).strip()


class QuestionField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", QUESTION_MAX)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 6}))
        super().__init__(**kwargs)


class AskForm(forms.Form):
    """The question as typed: the preview step shows the FAQ entries that may answer it before it is sent."""

    site = forms.ModelChoiceField(
        label=_("Préfecture ou sous-préfecture concernée"),
        queryset=Site.objects.none(),
        empty_label=_("Choisissez un site"),
        error_messages={
            "required": _("Choisissez un site."),
            "invalid_choice": _("Ce site n'existe pas : choisissez dans la liste."),
        },
    )
    topic = forms.ModelChoiceField(
        label=_("Thème"),
        queryset=Topic.objects.none(),
        empty_label=_("Choisissez un thème"),
        error_messages={
            "required": _("Choisissez un thème."),
            "invalid_choice": _("Ce thème n'existe pas : choisissez dans la liste."),
        },
    )
    file_number = forms.CharField(
        label=_("Numéro de dossier (facultatif)"),
        help_text=_("S'il vous a été donné : il permet de retrouver votre demande plus vite."),
        required=False,
        max_length=40,
    )
    body = QuestionField(
        label=_("Votre question"),
        help_text=_("En quelques phrases. Ne joignez pas de copie de vos documents."),
        error_messages={"required": _("Écrivez votre question.")},
    )
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_("La réponse y sera envoyée. Un code de confirmation vous y sera envoyé d'abord."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Ce champ est obligatoire."),
            "invalid": _("Saisissez une adresse e-mail valide, par exemple nom@exemple.fr."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(is_active=True).order_by("name")
        self.fields["topic"].queryset = Topic.objects.filter(is_active=True).filter(
            Q(site__isnull=True) | Q(site__is_active=True)
        )
        self.fields["topic"].label_from_instance = lambda t: f"{t.name} — {t.site.name}" if t.site_id else t.name
        self.helper = submit_helper(_("Continuer"))

    def clean_body(self) -> str:
        return clean_message_text(self.cleaned_data["body"])

    def clean_file_number(self) -> str:
        return clean_visible_text(self.cleaned_data["file_number"])

    def clean_email(self) -> str:
        return clean_visible_text(self.cleaned_data["email"])

    def clean(self):
        data = super().clean()
        site, topic = data.get("site"), data.get("topic")
        if site and topic and topic.site_id not in (None, site.pk):
            self.add_error("topic", _("Ce thème n'est pas proposé pour ce site : choisissez dans la liste."))
        return data


class SendForm(AskForm, HumanCheckForm):
    """The same question, sent from the preview step (its fields hidden there), with the anti-robot check."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in AskForm.base_fields:
            self.fields[name].widget = forms.HiddenInput()
        self.helper = submit_helper(_("Envoyer ma question"))


class ReplyForm(forms.Form):
    body = QuestionField(
        label=_("Votre réponse"),
        help_text=_("Vous pouvez répondre une seule fois."),
        error_messages={"required": _("Écrivez votre réponse.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Envoyer ma réponse"))

    def clean_body(self) -> str:
        return clean_message_text(self.cleaned_data["body"])


class HelpfulForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("yes", "yes"), ("no", "no")],
        coerce=lambda value: value == "yes",
        error_messages={"required": _("Dites si la réponse vous a aidé.")},
    )
