"""Django settings for Regionet, read from environment variables (12-factor).

With nothing set, Regionet runs on a SQLite file under ``var/`` in WAL mode with debug mode off:
a deployment that forgets a setting shows no tracebacks. ``make demo`` and the tests turn
``DEBUG`` on (the Makefile and pyproject.toml's pytest ``env``).
"""

import os
from pathlib import Path

import csp.constants
import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("REGIONET_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost", "[::1]"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
)

DEBUG = env("DEBUG")
# The default key is only acceptable in debug mode; `check --deploy` flags it otherwise.
SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-regionet-development-only-key")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")

# Where ../shared/data lives: real official reference data read by the importers.
REFERENCE_DATA_DIR = Path(
    env.str("REGIONET_DATA_DIR", default=str(BASE_DIR.parent / "shared" / "data"))
)
NODE_MODULES_DIR = BASE_DIR / "node_modules"

INSTALLED_APPS = [
    # modeltranslation must come before django.contrib.admin.
    "modeltranslation",
    "regionet.apps.RegionetAdminConfig",  # Django's admin, open to funder staff
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "dbbackup",  # `regionet dbbackup` / `mediabackup` and their restores (README)
    # Our accounts app first: its templates and translations override allauth's.
    "regionet.accounts",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "regionet.audit",
    "regionet.places",
    "regionet.programmes",
    "regionet.questionnaires",
    "regionet.events",
    "regionet.notifications",
    "regionet.applications",
    "regionet.portal",
    "regionet.demo",
]

MIDDLEWARE = [
    "regionet.applications.middleware.ReceivedAtMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Idle and absolute session limits, before the checks that send a user somewhere.
    "regionet.accounts.session_limits.SessionLimitsMiddleware",
    "regionet.accounts.middleware.RequireStaffTwoFactorMiddleware",
    # Organisations and applications only with a verified e-mail address.
    "regionet.accounts.verification.RequireVerifiedEmailMiddleware",
    "regionet.middleware.PrivatePagesAreNotStoredMiddleware",
]

ROOT_URLCONF = "regionet.urls"
WSGI_APPLICATION = "regionet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "regionet" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'regionet.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets readers and one writer work at once; IMMEDIATE avoids lock upgrades
            # failing half-way through a transaction.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
        }
    )
    # A file (not Django's in-memory default) so the tests run in WAL mode as production
    # does; one per process so that concurrent test runs never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-regionet-{os.getpid()}.sqlite3")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        # ASVS 2.1.1: at least 12 characters (and no upper limit below 64, no composition rules).
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# The link is sent at sign-up and the user may sign in before following it; acting for an
# organisation waits for it (regionet.accounts.verification), with a page saying so.
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Regionet] "
# E-mail says it is from Regionet (not from the host name); an invitation's link proves the
# invited address to the sign-up that follows it.
ACCOUNT_ADAPTER = "regionet.accounts.adapter.AccountAdapter"
# Full name and the language of e-mail messages, asked at sign-up.
ACCOUNT_SIGNUP_FORM_CLASS = "regionet.accounts.forms.SignupDetailsForm"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Regionet"

# --- Languages and time -----------------------------------------------------------------
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "regionet" / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "fi"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("fi", "sv", "en")}
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"  # collectstatic writes here; WhiteNoise serves it
STATIC_ROOT.mkdir(exist_ok=True)
# Front-end packages come from the npm registry (package.json); only the files we use
# are exposed, under vendor/.
STATICFILES_DIRS = [
    # The project's own stylesheet and scripts: the `regionet` package is no app, so no
    # app-directories finder looks here.
    Path(__file__).resolve().parent / "static",
    BASE_DIR / "build" / "static",  # generated by `npm run build`
    ("vendor/htmx", NODE_MODULES_DIR / "htmx.org" / "dist"),
    ("vendor/suomifi-design-tokens", NODE_MODULES_DIR / "suomifi-design-tokens" / "dist"),
]
# Uploaded files (attachments): outside the web root, served only through permission checks.
MEDIA_ROOT = Path(env.str("REGIONET_MEDIA_DIR", default=str(VAR_DIR / "media")))
MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    },
    # Where `regionet dbbackup` and `regionet mediabackup` write (django-dbbackup).
    "dbbackup": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.str("REGIONET_BACKUP_DIR", default=str(VAR_DIR / "backups"))},
    },
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        ),
    },
}

# --- E-mail -----------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url(
    "EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25"
)
vars().update(EMAIL_CONFIG)
# The address links in e-mails point to when no request is at hand (tasks, commands).
REGIONET_SITE_URL = env.str("REGIONET_SITE_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Regionet <noreply@regionet.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background work --------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env.str(
            "TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

# --- Applications -----------------------------------------------------------------------
# How many days an officer's late admission may run after the phase's deadline (or after it
# is granted, if that is later).
REGIONET_LATE_ADMISSION_MAX_DAYS = env.int("REGIONET_LATE_ADMISSION_MAX_DAYS", default=14)

# --- Security ---------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy (django-csp): scripts, styles, images and fonts only from the site
# itself, no inline script or style, no plugins, no framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.constants.SELF],
        "script-src": [csp.constants.SELF],
        "style-src": [csp.constants.SELF],
        "img-src": [csp.constants.SELF, "data:"],
        "font-src": [csp.constants.SELF],
        "connect-src": [csp.constants.SELF],
        "object-src": [csp.constants.NONE],
        "base-uri": [csp.constants.SELF],
        "form-action": [csp.constants.SELF],
        "frame-ancestors": [csp.constants.NONE],
    },
}
# Permissions-Policy (django-permissions-policy): no page needs the browser's devices.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# --- Cache and sign-in throttling (issue 11, item 7) ---------------------------------------
# One cache shared by every process and machine: allauth counts failed sign-ins in it, so a
# limit holds across gunicorn workers. CACHE_URL as django-environ reads it (for example
# rediscache://127.0.0.1:6379/1); by default a table in the database, which works on a fresh
# machine once `regionet createcachetable` has run (the demo and the tests run it).
CACHES = {"default": env.cache_url("CACHE_URL", default="dbcache://regionet_cache")}
# Failed passwords: 10 a minute from one address, 5 in 5 minutes to one account. An attacker
# who locks an account's password this way does not lock its owner out: the owner signs in by
# a code e-mailed to the address (login by code), or resets the password, which clears the
# account's count (allauth). Behind a reverse proxy, ALLAUTH_TRUSTED_PROXY_COUNT=1 makes the
# per-address limit count the client's address, not the proxy's.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("REGIONET_LOGIN_FAILED_LIMITS", default="10/m/ip,5/5m/key"),
}
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)

# --- Session limits (issue 11, item 10; regionet.accounts.session_limits) -------------------
# Staff rights (a funder staff role, staff status, superuser): signed out after 30 minutes
# without a request and 12 hours after signing in (ASVS 3.3.2, level 2). Applicants: 60
# minutes idle, because writing an application means reading guidance and thinking between
# saves (autosave keeps a typing user's session alive), and 12 hours in all, a working day:
# a shared computer left signed in is closed within the hour. A warning comes 5 minutes
# before the idle limit, with "Stay signed in".
REGIONET_SESSION_STAFF_IDLE_MINUTES = env.int("REGIONET_SESSION_STAFF_IDLE_MINUTES", default=30)
REGIONET_SESSION_STAFF_MAX_HOURS = env.int("REGIONET_SESSION_STAFF_MAX_HOURS", default=12)
REGIONET_SESSION_IDLE_MINUTES = env.int("REGIONET_SESSION_IDLE_MINUTES", default=60)
REGIONET_SESSION_MAX_HOURS = env.int("REGIONET_SESSION_MAX_HOURS", default=12)
REGIONET_SESSION_WARNING_MINUTES = env.int("REGIONET_SESSION_WARNING_MINUTES", default=5)
# The cookie and the stored session do not outlive the longest absolute limit.
SESSION_COOKIE_AGE = max(REGIONET_SESSION_STAFF_MAX_HOURS, REGIONET_SESSION_MAX_HOURS) * 3600

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every step of every PDF at INFO.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
