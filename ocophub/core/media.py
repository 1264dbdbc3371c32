"""Uploaded files that are not public (dossier documents): stored outside MEDIA_ROOT, so
neither Django's /media/ nor nginx's can reach them; only a view that has checked the
caller's scope sends them, with `private_file_response`."""

import mimetypes
from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, HttpResponse
from django.utils.functional import cached_property


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, with no URL of their own."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        # No address serves these (the admin then shows no link); pages link to the
        # scoped view of the record instead.
        return None


def private_storage():
    """For `FileField(storage=...)`: the "private" entry of STORAGES."""
    return storages["private"]


def private_file_response(field_file, as_attachment=True):
    """A private file for a caller the view has already checked. Behind nginx
    (PRIVATE_MEDIA_ACCEL_REDIRECT set) nginx sends it from its internal location;
    otherwise Django streams it."""
    name = PurePosixPath(field_file.name).name
    prefix = settings.PRIVATE_MEDIA_ACCEL_REDIRECT
    if not prefix:
        return FileResponse(field_file.open("rb"), as_attachment=as_attachment, filename=name)
    response = HttpResponse(
        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream"
    )
    response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(field_file.name)
    disposition = "attachment" if as_attachment else "inline"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(name)}"
    return response
