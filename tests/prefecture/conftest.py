import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.db import connections

from prefecture.deploy.layout import Layout


def database_url_for_tests() -> str:
    """The test database pytest-django created, as a URL for processes started by a test."""
    db = connections["default"].settings_dict
    return f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def run_dir():
    """A folder PgBouncer and nginx (which drop root) can also read and write in."""
    path = Path(tempfile.mkdtemp(prefix="prefecture-layout-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def pgbouncer(django_db_setup, run_dir):
    """A real PgBouncer in transaction pooling mode in front of the test database; yields its port."""
    layout = Layout(
        database_url=database_url_for_tests(),
        broker_url=os.environ.get("TEST_BROKER_URL", "redis://127.0.0.1:6379/15"),
        run_dir=run_dir,
        nginx=False,
        celery=False,
        migrate=False,
        pool_size=1,  # one server connection: whatever a client leaves on it, the next one gets
    )
    layout.start_pgbouncer()
    yield layout.pgbouncer_port
    layout.stop()
