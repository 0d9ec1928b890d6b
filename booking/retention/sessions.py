"""Sessions hold a booking in progress (booking.draft: names, birth date, numbers, e-mail) until it is sent.

A session expires SESSION_COOKIE_AGE (two hours) after its last change; an
abandoned one is deleted by the daily job, as `clearsessions` would. With
sessions in signed cookies (SESSION_IN_COOKIE) the server keeps nothing.
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module

from django.conf import settings

from .batches import in_batches
from .registry import register_purge


def delete_expired_sessions(*, now: dt.datetime) -> int:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):  # not kept in the database: its own expiry applies
        store.clear_expired()
        return 0
    model = store.get_model_class()
    expired = model.objects.filter(expire_date__lt=now)
    return in_batches(expired, lambda pks: model.objects.filter(pk__in=pks).delete()[0])


register_purge("sessions", delete_expired_sessions)
