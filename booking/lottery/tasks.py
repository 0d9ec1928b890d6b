from celery import shared_task

from .drawing import draw_due_lotteries


@shared_task(acks_late=True, ignore_result=True)
def draw_due_lotteries_task() -> int:
    """Lotteries whose window has closed: drawn (once, whatever the workers), their places given."""
    return draw_due_lotteries()
