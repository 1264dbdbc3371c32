"""Each Vietnamese translation the project ships is the one a page gets: Django merges the
catalogues of every installed app, the first listed winning, so a message that an earlier
app (django.contrib.auth, say) also translates would show that app's words instead. Its
Vietnamese catalogue translates "variety" (of a password hash) as "variety", which put
an English label on the growing-area form until the label took a context."""

from pathlib import Path

import polib
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]


def shipped_translations():
    for po_path in sorted(ROOT.rglob("locale/vi/LC_MESSAGES/django.po")):
        for entry in polib.pofile(str(po_path)).translated_entries():
            if not entry.msgid_plural:
                yield po_path.relative_to(ROOT), entry


def test_every_shipped_vietnamese_translation_is_the_one_pages_show():
    shown_otherwise = []
    with translation.override("vi"):
        for path, entry in shipped_translations():
            if entry.msgctxt:
                shown = translation.pgettext(entry.msgctxt, entry.msgid)
            else:
                shown = translation.gettext(entry.msgid)
            if shown != entry.msgstr:
                shown_otherwise.append(f"{path}: {entry.msgid!r} shows {shown!r}")
    assert shown_otherwise == [], "\n".join(shown_otherwise)
