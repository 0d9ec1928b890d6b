import os

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prefecture.settings")

app = Celery("prefecture")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@after_setup_logger.connect
@after_setup_task_logger.connect
def mask_tokens_in_worker_logs(logger, **kwargs):
    """A worker sets up handlers of its own for task loggers: they mask tokens too."""
    from prefecture.log_filters import mask_tokens_on_handlers

    mask_tokens_on_handlers(logger)
