"""A fixed "now" for tests of pages, whose views read Django's clock."""

import datetime as dt

from django.utils import timezone


def freeze(monkeypatch, moment: dt.datetime) -> None:
    """Make timezone.now() (and so localtime(), localdate()) return `moment` for the rest of the test."""
    assert moment.tzinfo is not None
    monkeypatch.setattr(timezone, "now", lambda: moment)
