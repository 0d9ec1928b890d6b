"""The project's settings as the test suite runs them: hermetic and quick.

- No developer's `.env` is read (DJANGO_ENV_FILE is set before the project's settings load).
- A fast password hasher: the default one is slow on purpose, and staff tests log people in.
"""

import os

os.environ["DJANGO_ENV_FILE"] = os.devnull

from prefecture.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
