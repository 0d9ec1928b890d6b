"""The last steps of the public flow as a resident takes them: hold the place, then confirm with the code."""

import re

from django.core import mail
from django.urls import reverse

from tests.antibot import proof

CODE_RE = re.compile(r"^\s+(\d{6})\s*$", re.MULTILINE)


def hold(client, *, follow: bool = False, **data):
    """POST the review step, with the anti-robot proof a browser would send."""
    return client.post(reverse("booking:review"), {"certify": "on", "altcha": proof("hold"), **data}, follow=follow)


def code_in(message) -> str:
    """The 6-digit code of a VERIFICATION e-mail, as the resident reads it."""
    return CODE_RE.search(message.body).group(1)


def last_code(outbox=None) -> str:
    messages = [message for message in (outbox if outbox is not None else mail.outbox) if CODE_RE.search(message.body)]
    assert messages, "no code e-mail was sent"
    return code_in(messages[-1])


def enter_code(client, code: str | None = None):
    return client.post(reverse("booking:verify"), {"code": code or last_code()})


def hold_and_confirm(client, capture):
    """Hold (sending the code e-mail), then type the code: returns the code page's response (a redirect)."""
    with capture(execute=True):
        response = hold(client)
    assert response.status_code == 302 and response.url == reverse("booking:verify"), response.status_code
    with capture(execute=True):
        return enter_code(client)
