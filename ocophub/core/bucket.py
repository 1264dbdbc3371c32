"""Dossier documents in the shared bucket (settings.MEDIA_BUCKET): stored under private/,
with no link of their own, as PrivateStorage on disk; views send them after checking
the caller's scope (core.media.private_file_response streams them)."""

# django-storages ships no type hints.
from storages.backends.s3 import S3Storage  # type: ignore[import-untyped]


class PrivateBucketStorage(S3Storage):
    default_acl = "private"

    def url(self, name, parameters=None, expire=None, http_method=None):
        return None
