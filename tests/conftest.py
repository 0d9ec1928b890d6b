import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _isolated(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.SITE_URL = "http://testserver"
    cache.clear()
