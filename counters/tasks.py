from celery import shared_task

from .services import generate_slots


@shared_task(acks_late=True, ignore_result=True)
def generate_slots_task() -> dict:
    report = generate_slots()
    return {"created": report.created, "updated": report.updated}
