"""What counters tells the apps built on it (booking), which it never imports."""

from django.dispatch import Signal

# Sent by services.materialise_opening with `opening` and `now`, inside the transaction that created an
# opening's slots for the first time, before anyone can book them: the waiting list's turn first.
opening_slots_created = Signal()
