"""Each database's own search engine over the folded columns: an FTS5 table on SQLite;
on PostgreSQL the unaccent and pg_trgm extensions, GIN indexes on the folded text's
tsvectors and a trigram index on the vocabulary."""

from django.db import migrations

SQLITE = [
    (
        "CREATE VIRTUAL TABLE market_search_fts USING fts5("
        "name, name_en, body, tokenize = 'unicode61 remove_diacritics 2')",
        "DROP TABLE IF EXISTS market_search_fts",
    ),
]
POSTGRESQL = [
    ("CREATE EXTENSION IF NOT EXISTS unaccent", ""),
    ("CREATE EXTENSION IF NOT EXISTS pg_trgm", ""),
    (
        "CREATE INDEX market_search_vi ON market_searchentry "
        "USING gin (to_tsvector('simple', name || ' ' || body))",
        "DROP INDEX IF EXISTS market_search_vi",
    ),
    (
        "CREATE INDEX market_search_en ON market_searchentry "
        "USING gin (to_tsvector('simple', name || ' ' || name_en || ' ' || body))",
        "DROP INDEX IF EXISTS market_search_en",
    ),
    (
        "CREATE INDEX market_searchword_trgm ON market_searchword USING gin (word gin_trgm_ops)",
        "DROP INDEX IF EXISTS market_searchword_trgm",
    ),
]


def _statements(schema_editor):
    return {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(schema_editor.connection.vendor, [])


def forwards(apps, schema_editor):
    for create, _drop in _statements(schema_editor):
        schema_editor.execute(create)


def backwards(apps, schema_editor):
    for _create, drop in reversed(_statements(schema_editor)):
        if drop:
            schema_editor.execute(drop)


class Migration(migrations.Migration):
    dependencies = [("market", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
