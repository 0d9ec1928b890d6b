from celery import shared_task

from .services import record_availability_samples


@shared_task(acks_late=True, ignore_result=True)
def record_availability_samples_task() -> int:
    return record_availability_samples()
