"""OCOP Hub settings. Everything that differs between a laptop and production comes
from the environment: DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS."""

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def env_flag(name: str, default: bool) -> bool:
    """A yes/no variable; anything but yes/no/true/false/on/off/1/0 is an error, not False."""
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r}: use one of yes/no, true/false, on/off, 1/0."
    )


def env_int(name: str, default: int) -> int:
    """A whole-number variable; anything else is an error naming the variable."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: a whole number is needed.") from None


BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("OCOP_VAR_DIR", BASE_DIR / "var"))


DEBUG = env_flag("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# Public base URL used in QR codes and certificates (no request at hand there).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # django.contrib.admin, open to superusers only.
    "ocophub.core.admin_site.SuperuserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    # Listed so that /api/v1/docs serves its bundled swagger-ui, not one from a CDN.
    "ninja",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ocophub.core",
    "ocophub.places",
    "ocophub.accounts",
    "ocophub.notices",
    "ocophub.producers",
    "ocophub.products",
    "ocophub.evaluation",
    "ocophub.certificates",
    "ocophub.programme",
    "ocophub.epcis",
    "ocophub.trace",
    "ocophub.compliance",
    "ocophub.market",
    "ocophub.support",
    "ocophub.site",
]
OCOP_APPS = [
    a.split(".")[1] for a in INSTALLED_APPS if a.startswith("ocophub.") and a.count(".") == 1
]
# Our catalogues before Django's own: among installed apps the first listed wins, and
# django.contrib's Vietnamese would otherwise replace ours where a message is the same
# ("History" as "Bản ghi nhớ", "Log out" as "Thoát", "variety" left in English).
LOCALE_PATHS = [BASE_DIR / "ocophub" / app / "locale" for app in OCOP_APPS]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # django-csp's, allowing the templates' static inline <style> blocks by hash.
    "ocophub.core.middleware.InlineStyleCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ocophub.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "ocophub.core.ratelimit.RateLimitMiddleware",
]

ROOT_URLCONF = "ocophub.urls"
WSGI_APPLICATION = "ocophub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ocophub.core.context_processors.navigation",
                "ocophub.notices.context_processors.inbox",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ocophub.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while an import writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
# A read replica for the dashboards and public queries (core/replica.py), e.g.
# postgres://reader@replica-host/ocophub; tests read it as a mirror of the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=env_int("CONN_MAX_AGE", 60)
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["ocophub.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Throttle guessing: five failures lock the username+address pair for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "site:start"
LOGOUT_REDIRECT_URL = "site:home"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
# DATE_FORMAT and friends per language (dd/mm/yyyy in both): ocophub/formats/<lang>/.
FORMAT_MODULE_PATH = ["ocophub.formats"]

TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "ocophub.core.media.PrivateStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Uploaded photos are served by Django itself unless a front server (nginx) does it.
SERVE_MEDIA = env_flag("SERVE_MEDIA", True)
# Uploads that are not public (dossier documents) live outside MEDIA_ROOT, so no /media/
# address reaches them: only views that check the caller's scope send them (core.media).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
# Several app servers share their uploads through an S3-compatible bucket (MinIO, AWS,
# Viettel or FPT object storage) when MEDIA_BUCKET is set: photos under media/, dossier
# documents under private/ with no address of their own (core/bucket.py). Credentials
# come from the usual AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
MEDIA_BUCKET = os.environ.get("MEDIA_BUCKET", "")
MEDIA_BUCKET_ENDPOINT = os.environ.get("MEDIA_BUCKET_ENDPOINT", "")
MEDIA_BUCKET_REGION = os.environ.get("MEDIA_BUCKET_REGION", "")
if MEDIA_BUCKET:
    _bucket = {
        "bucket_name": MEDIA_BUCKET,
        "endpoint_url": MEDIA_BUCKET_ENDPOINT or None,
        "region_name": MEDIA_BUCKET_REGION or None,
        # Signed, expiring links: a bucket need not be public for photos to show.
        "querystring_auth": True,
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_bucket, "location": "media"},
    }
    STORAGES["private"] = {
        "BACKEND": "ocophub.core.bucket.PrivateBucketStorage",
        "OPTIONS": {**_bucket, "location": "private"},
    }
# Behind nginx: its internal location for PRIVATE_MEDIA_ROOT (X-Accel-Redirect, see
# deploy/nginx.conf), e.g. /private-media/; empty: Django streams the files itself.
PRIVATE_MEDIA_ACCEL_REDIRECT = os.environ.get("PRIVATE_MEDIA_ACCEL_REDIRECT", "")

# Seconds a published product's scan page stays fresh: the max-age of its Cache-Control
# (which phones and nginx honour) and how long the server keeps it, one number for both.
TRACE_SCAN_MAX_AGE = env_int("TRACE_SCAN_MAX_AGE", 60)
# Whether the server keeps scan pages (files shared by its worker processes) for that
# time; off in DEBUG so that a changed template shows at once.
TRACE_SCAN_CACHE = env_flag("TRACE_SCAN_CACHE", not DEBUG)
# Seconds each web process buffers scan counts before writing them; 0 writes every scan.
TRACE_SCAN_FLUSH_SECONDS = env_int("TRACE_SCAN_FLUSH_SECONDS", 5)
# A serialised item's code is "checked too often" (perhaps copied: the scan page warns)
# once scanned, within the last TRACE_SUSPECT_WINDOW_DAYS days, from this many coarse
# devices or this many coarse places (trace/suspect.py says what is kept).
TRACE_SUSPECT_DEVICES = env_int("TRACE_SUSPECT_DEVICES", 5)
TRACE_SUSPECT_PLACES = env_int("TRACE_SUSPECT_PLACES", 4)
TRACE_SUSPECT_WINDOW_DAYS = env_int("TRACE_SUSPECT_WINDOW_DAYS", 30)

# A shared cache (Redis) when REDIS_URL is set, e.g. redis://127.0.0.1:6379/0: every
# worker and machine then sees the same rate-limit counts. Without it each process
# keeps its own in memory (one machine, counts per worker).
REDIS_URL = os.environ.get("REDIS_URL", "")


def _shared_cache(prefix: str) -> dict:
    if REDIS_URL:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
            # A Redis that does not answer within a second is treated as down.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": prefix}


CACHES = {
    "default": _shared_cache("ocop"),
    "ratelimit": _shared_cache("ocop-rl"),
    "scan": {
        "BACKEND": "ocophub.trace.cache.ScanPageCache",
        "LOCATION": VAR_DIR / "cache" / "scan",
        "TIMEOUT": TRACE_SCAN_MAX_AGE,
        # Room for the pages scanned in a minute; culling lists the folder.
        "OPTIONS": {"MAX_ENTRIES": 20000, "CULL_FREQUENCY": 4},
    },
}
# Requests per client address (IPv6 by /64) past which an endpoint answers 429 with
# Retry-After (core.ratelimit), counted in the "ratelimit" cache. `match` holds view
# names or path patterns (fnmatch); `methods` limits what is counted; a rate is
# "N/s", "N/m", "N/h" or "N/d". `api_token` counts bearer tokens the API refuses.
RATE_LIMITS_ENABLED = env_flag("RATE_LIMITS", True)
RATE_LIMITS = {
    "login": {
        "rate": os.environ.get("RATE_LIMIT_LOGIN", "10/m"),
        "match": ["accounts:login", "admin:login"],
        "methods": ["POST"],
    },
    # Each request sends an email: few per hour, so the form cannot flood an inbox.
    "password_reset": {
        "rate": os.environ.get("RATE_LIMIT_PASSWORD_RESET", "5/h"),
        "match": ["accounts:password_reset"],
        "methods": ["POST"],
    },
    "scan": {"rate": os.environ.get("RATE_LIMIT_SCAN", "120/m"), "match": ["trace:resolve"]},
    "verify": {"rate": os.environ.get("RATE_LIMIT_VERIFY", "60/m"), "match": ["verify:*"]},
    "search": {
        "rate": os.environ.get("RATE_LIMIT_SEARCH", "120/m"),
        "match": ["market:catalogue*", "api:catalogue"],
    },
    "epcis_query": {
        "rate": os.environ.get("RATE_LIMIT_EPCIS_QUERY", "120/m"),
        "match": ["/api/v1/epcis/*"],
        "methods": ["GET"],
    },
    "api": {"rate": os.environ.get("RATE_LIMIT_API", "600/m"), "match": ["/api/v1/*"]},
    "api_token": {"rate": os.environ.get("RATE_LIMIT_API_TOKEN", "20/h")},
}
RATELIMIT_USE_CACHE = "ratelimit"
# Behind nginx every request comes from 127.0.0.1: name the header that carries the
# client's address (deploy/nginx.conf sets X-Real-IP), e.g. CLIENT_IP_HEADER=X-Real-IP.
# Never set it without a proxy that overwrites the header: clients could choose their own.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")
RATELIMIT_IP_META_KEY = (
    "HTTP_" + CLIENT_IP_HEADER.upper().replace("-", "_") if CLIENT_IP_HEADER else None
)

# Long work (big imports, PDF batches, link checks) runs as django-tasks tasks. The
# database backend queues them in the project's own database for `manage.py db_worker`
# (started by `make run`); tests run them at once with the immediate backend.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Imports of files with more rows than this run in the background with a progress bar.
IMPORT_BACKGROUND_ROWS = env_int("IMPORT_BACKGROUND_ROWS", 300)

# EPCIS: events one /capture may carry (announced in GS1-EPCIS-Capture-Limit), and for
# subscription webhooks the deliveries tried in all and the seconds each POST may take.
EPCIS_CAPTURE_LIMIT = env_int("EPCIS_CAPTURE_LIMIT", 10_000)
EPCIS_WEBHOOK_ATTEMPTS = env_int("EPCIS_WEBHOOK_ATTEMPTS", 5)
EPCIS_WEBHOOK_TIMEOUT = env_int("EPCIS_WEBHOOK_TIMEOUT", 10)

# Compliance maps: a tile server URL template ({z}/{x}/{y}) and the credit it requires;
# empty (the default): a plain background with a scale, nothing fetched from elsewhere.
COMPLIANCE_TILE_URL = os.environ.get("COMPLIANCE_TILE_URL", "")
COMPLIANCE_TILE_ATTRIBUTION = os.environ.get("COMPLIANCE_TILE_ATTRIBUTION", "")


def tile_origin(template: str) -> str:
    """The origin a tile URL template loads from, for the image policy below; a
    placeholder in the host ({s} subdomains) becomes a wildcard."""
    parts = urlsplit(template)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    host = re.sub(r"\{[^}]*\}", "*", parts.netloc)
    return f"{parts.scheme}://{host}"


# Certificates: months an OCOP certificate is valid for, days before expiry it shows as
# expiring, and the days before expiry its holder is reminded (within that window).
CERTIFICATE_VALIDITY_MONTHS = 36
CERTIFICATE_EXPIRY_WARNING_DAYS = 90
CERTIFICATE_REMINDER_DAYS = (CERTIFICATE_EXPIRY_WARNING_DAYS, 30, 7)
# Folder of the DejaVu fonts the certificate PDFs embed (Debian's fonts-dejavu-core).
PDF_FONT_DIR = Path(os.environ.get("PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))

# Evaluation: how a council's scores combine ("mean" or "median"), the spread between
# members that flags a criterion (points) and a dossier (total), the documents every
# dossier needs (None: every kind of evaluation.models.DocumentKind) and the file of the
# evaluation procedures with their dates.
EVALUATION_SCORE_RULE = "mean"
EVALUATION_DIVERGENCE_POINTS = 2
EVALUATION_DIVERGENCE_TOTAL = 10
EVALUATION_REQUIRED_DOCUMENTS = None
OCOP_PROCEDURES_FILE = BASE_DIR / "ocophub" / "evaluation" / "data" / "procedures.json"

# Share of a course's sessions a participant attends (present or late) to complete it.
SUPPORT_COMPLETION_SHARE = 0.8

DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Largest product photo accepted, in bytes.
PHOTO_MAX_BYTES = env_int("PHOTO_MAX_BYTES", 5 * 1024 * 1024)
# Largest product photo accepted, in pixels (width × height), read from the header.
PHOTO_MAX_PIXELS = env_int("PHOTO_MAX_PIXELS", 40_000_000)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "OCOP Hub <no-reply@ocophub.local>")

# The address in admin links and the URL root, e.g. "office-admin/" (default "admin/").
ADMIN_PATH = os.environ.get("ADMIN_PATH", "admin").strip("/") + "/"

# HTTPS: a SITE_URL starting https:// means TLS ends at a front server (nginx) that says
# so in X-Forwarded-Proto; cookies then travel only over HTTPS and browsers are told to
# come back over HTTPS only (HSTS). Each can still be set on its own.
SITE_HTTPS = SITE_URL.startswith("https://")
SECURE_COOKIES = env_flag("SECURE_COOKIES", SITE_HTTPS)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
# No script reads a cookie: htmx and the API docs take the CSRF token from the page.
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = LANGUAGE_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if SITE_HTTPS else 0)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_flag("BEHIND_TLS_PROXY", SITE_HTTPS) else None
)
# nginx redirects plain HTTP itself (deploy/nginx.conf); the app can too.
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts, styles and everything else come from
# this site only; no inline script, no eval, no inline style but <style> blocks without
# template syntax, allowed by their hash (core.middleware; core/tests/test_security_headers.py
# walks the templates). Images may be data: URIs (the API docs' icons, QR previews).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # The map's tiles come from COMPLIANCE_TILE_URL's server when one is set.
        "img-src": [SELF, "data:", *filter(None, [tile_origin(COMPLIANCE_TILE_URL)])],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

NINJA_PAGINATION_PER_PAGE = 20
FORMS_URLFIELD_ASSUME_HTTPS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
