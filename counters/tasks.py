from celery import shared_task

from .services import generate_slots, materialise_due_openings


@shared_task(acks_late=True, ignore_result=True)
def generate_slots_task() -> dict:
    report = generate_slots()
    return {"created": report.created, "updated": report.updated}


@shared_task(acks_late=True, ignore_result=True)
def materialise_due_openings_task() -> int:
    return materialise_due_openings()
