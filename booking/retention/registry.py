"""Which personal data are purged, and by what: one registration per kind of data.

Each kind registers a purge function, called as `function(now=now)`, that
anonymises or deletes what is past its retention period at `now` and returns
how many rows it changed. It must be idempotent (a second run at the same
`now` changes nothing) and may read its own period from settings.

Registrations live beside the data they purge, in a `retention` module of the
app (booking.lottery.retention, booking.waitlist.retention, …): the job imports
every installed app's `retention` module first, as the admin does its `admin`
modules. Another app registers its own in one line, e.g.

    register_purge("questions", anonymise_questions, setting="RETENTION_QUESTIONS_DAYS")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Purge:
    name: str
    function: Callable[..., int]
    # The setting holding its period in days; "" when the data's own expiry decides (codes, sessions).
    setting: str = ""
    # Run after the others: purges of what other data leave behind (the e-mails of anonymised requests).
    late: bool = False


_purges: dict[str, Purge] = {}


def register_purge(name: str, function: Callable[..., int], *, setting: str = "", late: bool = False) -> None:
    """Register (or, under the same name, replace) a purge; see the module's docstring."""
    _purges[name] = Purge(name=name, function=function, setting=setting, late=late)


def registered_purges() -> list[Purge]:
    """Every purge of the installed apps, in registration order, the late ones last."""
    autodiscover_modules("retention")
    return sorted(_purges.values(), key=lambda purge: purge.late)
