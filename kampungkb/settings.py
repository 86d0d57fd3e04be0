"""Settings for Kampung KB Monitor: one module; every deploy-specific value comes from the env.

Readers fail loudly on malformed values so a typo in a unit file never silently turns DEBUG on.
"""

import datetime
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0/true/false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_secret(name: str) -> str | None:
    """Read NAME, or the file named by NAME_FILE (systemd credentials, Docker secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name) or None


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-do-not-deploy"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # Django's widget templates, for FORM_RENDERER below
    "django_filters",
    "django_tables2",
    "simple_history",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "classification",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages travel gzipped (the dashboard: 129 KB → 33 KB). Django pads each response with a
    # random number of bytes and masks the CSRF token per request, its answers to BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before CommonMiddleware (Django's order); Django's, minus Accept-Language.
    "kampungkb.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change in the audit trail.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as its documentation asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Widgets render through the project's templates, so templates/django/forms/ can override them.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

ROOT_URLCONF = "kampungkb.urls"
WSGI_APPLICATION = "kampungkb.wsgi.application"

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
            ],
        },
    },
]

# SQLite is the zero-setup default; production and CI set DATABASE_URL=postgres://…
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Every query here is short. PostgreSQL's JIT spent 150-230 ms compiling the national
    # roll-up's aggregate (EXPLAIN ANALYZE) that then ran in ~35 ms; compiling never pays off.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # Form choice lists iterate their querysets with .iterator(); on PostgreSQL each one then
    # costs DECLARE/FETCH/CLOSE round trips for a handful of rows. Nothing here streams large
    # results, and without server-side cursors the app also runs behind PgBouncer.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOCAL_CACHE = "django.core.cache.backends.locmem.LocMemCache"
REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"
DB_SESSIONS = "django.contrib.sessions.backends.db"
CACHED_DB_SESSIONS = "django.contrib.sessions.backends.cached_db"


def cache_settings(redis_url: str | None, key_prefix: str) -> tuple[dict[str, Any], str]:
    """CACHES and SESSION_ENGINE: one app server on its own, or several sharing one Redis.

    Sessions are always written to the database, so they survive a Redis restart; with Redis they
    are read through it, and every app server sees the same ones. The cache holds framework state
    only, never pages or numbers: a verified level change must show on the next request.
    """
    if not redis_url:
        # Per-process memory: nothing in the app may rely on it being shared.
        return {"default": {"BACKEND": LOCAL_CACHE}}, DB_SESSIONS
    if not redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"REDIS_URL must start with redis://, rediss:// or unix://, not {redis_url!r}"
        )
    if not key_prefix:
        raise ImproperlyConfigured("CACHE_KEY_PREFIX must not be empty when REDIS_URL is set.")
    cache = {
        "BACKEND": REDIS_CACHE,
        "LOCATION": redis_url,
        # Several sites, or test runs, can share one Redis without reading each other's keys.
        "KEY_PREFIX": key_prefix,
        # A Redis that stops answering fails a request in seconds instead of hanging a worker.
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
    return {"default": cache}, CACHED_DB_SESSIONS


CACHES, SESSION_ENGINE = cache_settings(
    os.environ.get("REDIS_URL", "").strip(), os.environ.get("CACHE_KEY_PREFIX", "kampungkb").strip()
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "classification:dashboard"
LOGOUT_REDIRECT_URL = "classification:public_summary"

# Bahasa Indonesia for everyone; English only for whoever picks it with the switch in the footer
# (kampungkb/middleware.py says why the browser's language is not asked). The switch names each
# language in itself (Django's name_local), so a reader of either finds theirs.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Makassar"
USE_I18N = True
USE_TZ = True
# Off: Django would then group every integer a template prints, years too ("Tahun 2.026") and
# ids in query strings. Counts that can pass 999 take humanize's intcomma, which follows the
# active language (1.234 in Bahasa Indonesia, 1,234 in English).
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # plotly.js is taken from the installed plotly package so the browser library always
    # matches the Python one that builds the figures.
    "classification.staticfinders.PlotlyJsFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names let every asset be cached for a year; compressed copies are served as-is.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 365 * 24 * 3600
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# django-tables2's Bootstrap 5 table with the site's translatable pagination.
DJANGO_TABLES2_TEMPLATE = "_snippets/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table"}

# Behind gunicorn and a TLS-terminating proxy in production.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
# The language choice outlives the session (a year): it is a preference, not a sign-in.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = env_bool("LANGUAGE_COOKIE_SECURE", SESSION_COOKIE_SECURE)
LANGUAGE_COOKIE_HTTPONLY = True  # no script reads it: pages carry the language in <html lang>
# A rejected form (expired CSRF token) answers with the site's page, not Django's English one.
CSRF_FAILURE_VIEW = "kampungkb.views.csrf_failure"

# Failed logins: after AXES_FAILURE_LIMIT failures for one username from one address, that
# pair is locked for AXES_COOLOFF_MINUTES (a shared village phone must not lock out the others).
# Failures are counted in the database (axes' default, spelled out): every app server sees the
# same count, with or without Redis; the cache handler on local memory would count per process.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = env_bool("AXES_VERBOSE", False)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"


def ipware_settings(proxies: int) -> tuple[int | None, tuple[str, ...]]:
    """AXES_IPWARE_PROXY_COUNT and _META_PRECEDENCE_ORDER for ``proxies`` in front of gunicorn.

    Behind nginx the client's address arrives in X-Forwarded-For; it is trusted only when
    AXES_PROXY_COUNT says how many proxies stand in front (else anyone could forge it): 1 for
    nginx alone, 2 for a load balancer then nginx. Each proxy appends the address it was called
    from, so the header lists the client and every proxy but the last: ipware counts one less.
    """
    if proxies <= 0:
        return None, ("REMOTE_ADDR",)
    return proxies - 1, ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")


AXES_IPWARE_PROXY_COUNT, AXES_IPWARE_META_PRECEDENCE_ORDER = ipware_settings(
    env_int("AXES_PROXY_COUNT", 0)
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# The district the public summary shows and a superuser's dashboard opens on.
DEFAULT_KABUPATEN = os.environ.get("DEFAULT_KABUPATEN", "63.01")
# Baseline for districts without their own TargetPolicy (the published Tanah Laut figures' date).
DEFAULT_TARGET_BASELINE_DATE = os.environ.get("DEFAULT_TARGET_BASELINE_DATE", "2025-07-31")
# Figures count as reported per "month" or per "quarter" on /kelengkapan/ (domain.md §3).
REPORTING_FIGURES_PERIOD = os.environ.get("REPORTING_FIGURES_PERIOD", "month")

# Read-only JSON API at /api/v1/: the same scoping as the pages (classification/api.py).
# No throttle classes: DRF counts them in the default cache, which is per process without
# REDIS_URL, so a limit would multiply by the number of gunicorn workers and hosts.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kampung KB Monitor API",
    "DESCRIPTION": gettext_lazy(
        "Data Kampung KB hanya-baca: ringkasan kabupaten, daftar dan detail kampung."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}
