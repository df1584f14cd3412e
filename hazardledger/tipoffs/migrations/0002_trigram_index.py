"""On PostgreSQL: pg_trgm and a trigram index on the text duplicates are compared on.
GiST, not GIN: it answers "the nearest texts" (ORDER BY <-> LIMIT) from the index, so the
cost stays flat however many reports share common words. Other databases compare character
n-grams in Python and need nothing here."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS tipoffs_match_trgm ON tipoffs_tipoff "
        "USING gist (match_text gist_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS tipoffs_match_trgm")


class Migration(migrations.Migration):
    dependencies = [("tipoffs", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
