# Dossier documents move from MEDIA_ROOT (served at /media/ to anyone with the link) to
# the private storage, which only the scoped download view reads.

import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

import ocophub.core.media
import ocophub.evaluation.models


def move_documents(apps, schema_editor):
    DossierDocument = apps.get_model("evaluation", "DossierDocument")
    public = Path(settings.MEDIA_ROOT)
    private = Path(settings.PRIVATE_MEDIA_ROOT)
    for name in DossierDocument.objects.values_list("file", flat=True).iterator():
        source, target = public / name, private / name
        if source.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(source, target)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0002_conflict_history"),
    ]

    operations = [
        migrations.AlterField(
            model_name="dossierdocument",
            name="file",
            field=models.FileField(
                storage=ocophub.core.media.private_storage,
                upload_to=ocophub.evaluation.models.document_path,
                verbose_name="file",
            ),
        ),
        migrations.RunPython(move_documents, migrations.RunPython.noop),
    ]
