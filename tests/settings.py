"""Test settings: the project's settings with a cheap password hasher first and static files looked up on request.

Every role fixture creates a user, and the production PBKDF2 hasher costs about
0.3 s per password on this kind of machine. Tests check who may sign in and
sign, not what a guess costs; the benchmark measures that (bench_approve).
Django's default hashers stay listed so passwords they made still verify.
"""

from django.conf import global_settings

from her2app.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *global_settings.PASSWORD_HASHERS]

# WhiteNoise looks a static file up when one is asked for, instead of listing every static file each
# time a test client loads the middleware (about 20 ms of CPU, once per test that makes a request).
WHITENOISE_AUTOREFRESH = True
