"""Settings for `make loadtest` only: the project's settings with two changes.

- Passwords hash with 1,000 PBKDF2 iterations instead of Django's 1,000,000:
  with 200 users signing in within seconds on a small machine, the full cost
  would measure PBKDF2, not the planner (`--real-password-hashing` keeps it).
- SQLite (the temporary default) runs in WAL mode with immediate write
  transactions, as a small single-host installation would configure it.
"""

import os

from django.contrib.auth.hashers import PBKDF2PasswordHasher

from her2app.settings import *  # noqa: F403
from her2app.settings import DATABASES


class LoadTestPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1_000


if os.environ.get("LOADTEST_REAL_HASHING") != "1":
    PASSWORD_HASHERS = ["tests.bench.loadtest_settings.LoadTestPBKDF2PasswordHasher"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
