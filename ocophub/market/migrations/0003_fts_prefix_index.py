"""SQLite's FTS5 table keeps prefix indexes of two and three letters: a shopper's short
word ("ga", "che", "htx") is a prefix query, which without them reads every term of the
range."""

from django.db import migrations

FORWARD = [
    "CREATE VIRTUAL TABLE market_search_fts_new USING fts5("
    "name, name_en, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')",
    "INSERT INTO market_search_fts_new(rowid, name, name_en, body) "
    "SELECT rowid, name, name_en, body FROM market_search_fts",
    "DROP TABLE market_search_fts",
    "ALTER TABLE market_search_fts_new RENAME TO market_search_fts",
]
BACKWARD = [
    "CREATE VIRTUAL TABLE market_search_fts_old USING fts5("
    "name, name_en, body, tokenize = 'unicode61 remove_diacritics 2')",
    "INSERT INTO market_search_fts_old(rowid, name, name_en, body) "
    "SELECT rowid, name, name_en, body FROM market_search_fts",
    "DROP TABLE market_search_fts",
    "ALTER TABLE market_search_fts_old RENAME TO market_search_fts",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("market", "0002_engines")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
