"""Import jobs: an upload validated row by row, then written all at once or not at all."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    class Status(models.TextChoices):
        VALIDATING = "validating", _("Checking rows")
        FAILED = "failed", _("Nothing imported: fix the rows below")
        DONE = "done", _("Imported")

    kind = models.CharField(max_length=40)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    filename = models.CharField(max_length=255)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.VALIDATING)
    total = models.PositiveIntegerField(default=0)
    checked = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    # [{"row": 3, "field": "gtin", "message": "..."}]
    problems = models.JSONField(default=list)
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"{self.kind} import {self.filename} ({self.status})"

    @property
    def percent(self):
        return int(100 * self.checked / self.total) if self.total else 0

    @property
    def running(self):
        return self.status == self.Status.VALIDATING
