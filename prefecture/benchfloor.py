"""The floor of the benchmarks: a bare view doing only the booking SQL, behind the same server.

Mounted only when BENCH_FLOOR_VIEW=true (make bench sets it); never in a real
deployment. One conditional UPDATE takes a place, one INSERT records it, in one
transaction, as book_appointment does at its core: what the booking flow costs
beyond this is the framework, the pages and the checks around it.
"""

import secrets

from django.db import connection, transaction
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

# Created by bench/run.py, never by a migration: it exists only in benchmark databases.
TABLE = "bench_floor_booking"


@csrf_exempt
def floor(request, slot_id: int) -> HttpResponse:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE counters_slot SET booked = booked + 1 WHERE id = %s AND booked < capacity", [slot_id])
        taken = cursor.rowcount == 1
        if taken:
            cursor.execute(f"INSERT INTO {TABLE} (slot_id, token) VALUES (%s, %s)", [slot_id, secrets.token_hex(16)])
    return HttpResponse("booked" if taken else "full", content_type="text/plain")
