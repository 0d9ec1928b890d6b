"""Access logs that never hold the secret link of a booking.

The manage link (`/mon-rendez-vous/<token>/...`) and the confirmation page
(`/rendez-vous/confirmation/<token>/`) carry the token that lets anyone holding
it cancel or move the appointment. They appear in request lines and in the
Referer of the pages opened from there; both are masked before a line is
written. nginx does the same with the maps in nginx.conf.
"""

from __future__ import annotations

import re

from gunicorn.glogging import Logger

MASK = "[token]"  # ASCII: nginx would escape anything else
_TOKEN_IN_PATH = re.compile(
    r"(?P<prefix>/mon-rendez-vous/)(?!lien-perdu(?:/|$|\?))[^/?#\s\"]+"
    r"|(?P<prefix2>/rendez-vous/confirmation/)[^/?#\s\"]+"
)


def mask_tokens(text: str) -> str:
    """`text` with every booking token in a path replaced by a mark."""
    return _TOKEN_IN_PATH.sub(lambda m: (m.group("prefix") or m.group("prefix2")) + MASK, text)


class MaskedTokensLogger(Logger):
    """gunicorn's logger, with tokens masked in every value an access-log line may show."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: mask_tokens(value) if isinstance(value, str) else value for key, value in atoms.items()}
