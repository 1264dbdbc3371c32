"""Signals of the bottom layer, for the apps above to react to (in their receivers.py)."""

from django.dispatch import Signal

# An import job ended, done or failed (core.importing), sent once per job: `job` the
# ImportJob, `importer` the Importer that ran it.
import_ended = Signal()
