"""The project's settings as the test suite runs them: hermetic and quick.

- No developer's `.env` is read (DJANGO_ENV_FILE is set before the project's settings load).
- A fast password hasher: the default one is slow on purpose, and staff tests log people in.
"""

import os

os.environ["DJANGO_ENV_FILE"] = os.devnull

from prefecture.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The proof of work's rules are tested, not its cost (like the hasher above): one PBKDF2 iteration per try.
POW_COST = 1
# Rate limits and used proofs in Redis on the tests' own database, under this run's prefix (each test adds
# its own below it, tests/conftest.py); keys expire by themselves, nothing is ever flushed.
RATELIMIT_REDIS_URL = os.environ.get("TEST_BROKER_URL", "redis://127.0.0.1:6379/15")
RATELIMIT_KEY_PREFIX = f"test-ratelimit:{os.getpid()}"
