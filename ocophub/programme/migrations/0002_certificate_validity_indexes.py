"""Indexes on the certificates table for the programme's figures.

Every figure counts products whose certificate was valid on a day; these two covering
indexes let the database answer from the index alone: by validity dates for the whole
country, and by product for a province (reached through its communes and products).
They live here, not on the Certificate model, because only the programme's queries
need them; plain SQL that SQLite and PostgreSQL both accept.
"""

from django.db import migrations

INDEXES = {
    "programme_cert_validity": "valid_until, valid_from, revoked_on, superseded_on, product_id, stars",
    "programme_cert_by_product": "product_id, valid_from, valid_until, revoked_on, superseded_on, stars",
}


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0001_initial"),
        ("certificates", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON certificates_certificate ({columns})",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, columns in INDEXES.items()
    ]
