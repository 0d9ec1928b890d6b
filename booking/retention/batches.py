"""Purges work in short batches, each its own transaction: no giant transaction, no long lock."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models, transaction

BATCH_SIZE = 500


def in_batches(queryset: models.QuerySet, action: Callable[[list], int], *, size: int | None = None) -> int:
    """Call `action(pks)` on the rows of `queryset`, `size` at a time; returns the sum of what it returned.

    `action` must take its rows out of `queryset` (anonymise, delete): the loop
    reads the queryset again until it is empty. Rows another transaction has
    locked (a booking being changed right now) are skipped, for the next run.
    """
    size = size or BATCH_SIZE
    total = 0
    while True:
        with transaction.atomic():
            locked = queryset.select_for_update(skip_locked=True, of=("self",)).order_by("pk")
            pks = list(locked.values_list("pk", flat=True)[:size])
            done = action(pks) if pks else 0
        total += done
        if len(pks) < size or not done:
            return total
