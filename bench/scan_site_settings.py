"""Settings for bench/scan_load.py: the platform's own, plus a URLconf with one minimal
view beside the real ones, so both are served by the same gunicorn and middleware."""

from ocophub.settings import *  # noqa: F403

ROOT_URLCONF = "scan_site_urls"
DEBUG = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
