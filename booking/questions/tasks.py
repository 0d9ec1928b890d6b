from celery import shared_task

from .services import close_quiet_questions


@shared_task(acks_late=True, ignore_result=True)
def close_quiet_questions_task() -> int:
    """Answered questions the resident left without a reply for QUESTION_CLOSE_DAYS: closed. Idempotent."""
    return close_quiet_questions()
