"""Settings for the HER2 mCRC treatment planner, read from the environment.

Two modes:
- development (default): SQLite file in the project, DEBUG from the
  environment, a fixed development secret key;
- production (PRODUCTION=1): SECRET_KEY and ALLOWED_HOSTS required, DEBUG
  forced off, secure cookies and headers; `manage.py check --deploy` is clean.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envuri(name: str, default: str) -> str:
    """A URI with a scheme and no spaces (a FHIR identifier system)."""
    value = os.environ.get(name) or default
    if ":" not in value or any(character.isspace() for character in value):
        raise ImproperlyConfigured(f"{name} must be a URI such as urn:oid:1.2.3 or https://hospital.example/mrn, not {value!r}")
    return value


def envsecret(name: str, default: str | None = None) -> str | None:
    """A secret from NAME, or from the file named by NAME_FILE."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


PRODUCTION = envbool("PRODUCTION")
DEBUG = False if PRODUCTION else envbool("DEBUG")

SECRET_KEY = envsecret("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) is required when PRODUCTION=1")
    SECRET_KEY = "development-only-key-never-use-in-production-4f9c2a7e1b"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required when PRODUCTION=1 (comma-separated host names)")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "her2app.accounts",
    "her2app.cases",
    "her2app.plans",
    "her2app.interop",
    "her2app.meetings",
    "her2app.recheck",
    "her2app.audit",
    "her2app.backup",
    "her2app.demo",
    "her2app.rendering",
    "her2app.monitoring",
    "her2app.administration",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "her2app.accounts.middleware.NoStoreForSignedInUsers",
    "her2app.accounts.middleware.RefreshIdleSession",
    "django.contrib.messages.middleware.MessageMiddleware",
    "her2app.accounts.middleware.SessionEndedNotice",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must be last: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "her2app.urls"
WSGI_APPLICATION = "her2app.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "her2app.plans.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite as an embedded database for several web and worker processes: readers never
    # wait for the writer (WAL), a writer waits its turn instead of failing at once
    # (busy timeout), and every transaction takes the write lock when it starts
    # (IMMEDIATE), so two transactions never both read and then both try to write.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": envint("SQLITE_BUSY_TIMEOUT_SECONDS", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Shared clinical workstations: a session ends after this many idle minutes.
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# Each request restarts the idle clock, but the session is written at most once
# a minute (RefreshIdleSession), not on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_ENGINE = "her2app.accounts.session_store"  # database sessions that report their stored expiry
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login throttling (django-axes): lock a username+address pair after N failures,
# and an address after AXES_ADDRESS_FAILURE_LIMIT failures across all usernames.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = envint("AXES_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "her2app.accounts.throttling.PairAndAddressHandler"
# The client address (django-ipware, see her2app/accounts/throttling.py). Directly
# exposed (the default), only the socket address counts and any X-Forwarded-For a
# client sends is ignored. Behind reverse proxies, TRUSTED_PROXY_COUNT says how many
# there are; the client is then the address the outermost one saw. TRUSTED_PROXIES
# (addresses or networks) optionally limits whose X-Forwarded-For is believed at all.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "her2app.accounts.throttling.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = envbool("AXES_ENABLED", True)
AXES_VERBOSE = False
# A page that says why and when to retry (HTTP 429), not a bare message.
AXES_LOCKOUT_CALLABLE = "her2app.accounts.views.locked_out"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
# One language. Django's en-GB catalogues translate nothing (each text is its English original), so
# translation is off: every lazy label, month name and URL reverse skips the per-call language lookup.
# Formats stay en-GB's (day before month): they follow LANGUAGE_CODE.
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# PDFs go to the default storage: the file system under MEDIA_ROOT, or any
# django-storages backend (e.g. storages.backends.s3.S3Storage, configured by
# its own AWS_* environment variables) named in STORAGE_BACKEND.
STORAGES = {
    "default": {"BACKEND": os.environ.get("STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Content Security Policy (django-csp): no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}
# X-Frame-Options DENY for old browsers; modern browsers obey CSP frame-ancestors
# 'self' above (it takes precedence), so the nurse's embedded same-origin PDF
# viewer still works. A view meant to be framed can add @xframe_options_sameorigin.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Background work (django-tasks): PDFs are rendered by `manage.py run_worker`
# processes from a queue in the database. TASKS_BACKEND=immediate renders in
# the request instead (tests of the pages only).
TASK_BACKENDS = {
    "database": "django_tasks_db.backend.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, not {TASKS_BACKEND!r}")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND]}}
# A failed render is retried after 30 s, 1, 2, 4 ... minutes, at most PDF_RENDER_ATTEMPTS times.
PDF_RENDER_ATTEMPTS = envint("PDF_RENDER_ATTEMPTS", 6)
PDF_RETRY_SECONDS = envint("PDF_RETRY_SECONDS", 30)
# A render whose worker died (killed, host lost) is taken over once its lease ends.
PDF_RENDER_LEASE_SECONDS = envint("PDF_RENDER_LEASE_SECONDS", 120)
# Each worker looks for lost or missing PDFs when it starts and then this often.
PDF_SWEEP_SECONDS = envint("PDF_SWEEP_SECONDS", 60)
# A plan PDF longer than this is refused (see docs/operations.md, "PDF page budget").
PLAN_PDF_MAX_PAGES = envint("PLAN_PDF_MAX_PAGES", 12)

# Clinical settings (reference D7): institutional dose-rounding tolerance in
# percent; a final dose further than this from the calculated one needs a reason.
DOSE_ROUNDING_PERCENT = envint("DOSE_ROUNDING_PERCENT", 5)
PLAN_CALENDAR_CYCLES = envint("PLAN_CALENDAR_CYCLES", 6)
# Plausibility (institutional, not the reference): a weight outside this band, or further than this percentage
# from the last recorded weight, is saved only after a confirmation tick. The reference's S9 limits stay hard.
WEIGHT_PLAUSIBLE_KG = (envint("WEIGHT_PLAUSIBLE_MIN_KG", 35), envint("WEIGHT_PLAUSIBLE_MAX_KG", 200))
WEIGHT_CHANGE_CONFIRM_PERCENT = envint("WEIGHT_CHANGE_CONFIRM_PERCENT", 10)
# The hospital's closure days (ISO dates, comma-separated): a plan starting on one, or on a weekend, is flagged.
PLAN_CLOSURE_DAYS = envlist("PLAN_CLOSURE_DAYS")
# Institutional policy (issue 14): a pharmacist verifies every approved plan before nurses see it. With this
# on, a second oncologist (never the one who approved it) may verify instead.
PLAN_ONCOLOGIST_MAY_VERIFY = envbool("PLAN_ONCOLOGIST_MAY_VERIFY", False)


def envint_between(name: str, default: int, low: int, high: int) -> int:
    value = envint(name, default)
    if not low <= value <= high:
        raise ImproperlyConfigured(f"{name} must be between {low} and {high}, not {value}")
    return value


# Readiness before each administration (after approval): institutional policies, not reference figures.
# A weight change beyond this percentage of the dosing weight asks for the doses to be recalculated.
READINESS_WEIGHT_CHANGE_PERCENT = envint_between("READINESS_WEIGHT_CHANGE_PERCENT", 10, 1, 50)
# The institution's LVEF lower limit of normal (M1's second withhold criterion). The reference gives no value;
# the default is S2's 50% starting threshold until the echo laboratory's own limit is set.
LVEF_LOWER_LIMIT_OF_NORMAL = envint_between("LVEF_LOWER_LIMIT_OF_NORMAL", 50, 5, 90)

# FHIR export and import (docs/interop.md): the hospital's identifier systems,
# and the largest bundle a coordinator may import.
FHIR_MRN_SYSTEM = envuri("FHIR_MRN_SYSTEM", "urn:her2app:mrn")
FHIR_PRACTITIONER_SYSTEM = envuri("FHIR_PRACTITIONER_SYSTEM", "urn:her2app:practitioner")
FHIR_IMPORT_MAX_BYTES = envint("FHIR_IMPORT_MAX_BYTES", 2 * 1024 * 1024)

# Application logs never carry patient identifiers: log ids, not names or MRNs.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {
        "drop_template_context": {"()": "her2app.audit.logfilters.DropTemplateContext"},
        "mask_database_key_values": {"()": "her2app.audit.logfilters.MaskDatabaseKeyValues"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["mask_database_key_values"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint and fontTools report every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # At DEBUG its tracebacks print the template context, patient included.
        "django.template": {"filters": ["drop_template_context"]},
    },
}
