"""Pieces the benchmarks share."""

from django.conf import settings
from django.test.utils import override_settings


def plain_static_files(**extra):
    """Settings for rendering pages without collectstatic: with DEBUG off the manifest
    storage refuses every {% static %} it has no entry for."""
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    return override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}, **extra)
