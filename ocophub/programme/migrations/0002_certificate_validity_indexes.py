"""Formerly: two covering indexes on the certificates table, made here in plain SQL.

An index belongs to the app that owns its table: they are declared on the Certificate
model now (certificates migration 0004, which drops the ones this made on a database
that ran it). Kept, empty, so that databases that applied it keep a consistent history.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0001_initial"),
        ("certificates", "0001_initial"),
    ]

    operations = []
