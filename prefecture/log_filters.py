"""Keeping secrets out of the logs.

The token in a booking's link lets whoever holds it see, cancel or move the
appointment. Django logs the path of every 4xx and 5xx response, and the
development server every request: without this filter, logs would hold the
keys to people's appointments.
"""

from __future__ import annotations

import logging
import re

MASK = "[jeton masqué]"

# Whatever follows the prefix up to the next separator is a token, well-formed or not
# (a truncated or altered link is as much a secret); "lien-perdu" is a page, not a token.
# A certificate's verification code is one too: it shows the name printed on the certificate;
# and so is the link that confirms a hold (rendez-vous/valider), and those of lottery registrations and
# waiting-list entries and offers (their pages show a name, confirm, accept or leave).
TOKEN_IN_PATH = re.compile(
    r"(?P<prefix>/(?:mon-rendez-vous|rendez-vous/confirmation|rendez-vous/valider|attestation/verifier"
    r"|tirage/valider|tirage/mon-inscription|liste-attente/valider|liste-attente/inscription|liste-attente/offre)/)"
    r"(?!lien-perdu(?:[/?#\s\"']|$))[^/?#\s\"']+"
)
# The verification form sends the code in the query string.
CODE_IN_QUERY = re.compile(r"(?P<prefix>/attestation/verifier/\?(?:[^#\s\"']*&)?code=)[^&#\s\"']+")

_formatter = logging.Formatter()


def mask_tokens(text: str) -> str:
    text = TOKEN_IN_PATH.sub(lambda match: match["prefix"] + MASK, text)
    return CODE_IN_QUERY.sub(lambda match: match["prefix"] + MASK, text)


class MaskTokensFilter(logging.Filter):
    """Rewrites a record's message (and traceback) with booking tokens masked; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a badly formatted record is left for the handler to report
            return True
        masked = mask_tokens(message)
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = _formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_tokens(record.exc_text)
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if isinstance(path, str) and mask_tokens(path) != path:
            # Handlers that read the request (e-mails to admins) would print its path.
            record.request = None
        return True


def mask_tokens_on_handlers(logger: logging.Logger) -> None:
    """Add the filter to each of `logger`'s handlers that lacks it (Celery's own task logger, say)."""
    for handler in logger.handlers:
        if not any(isinstance(existing, MaskTokensFilter) for existing in handler.filters):
            handler.addFilter(MaskTokensFilter())
