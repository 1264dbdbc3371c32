"""The Vietnamese catalogues read as one text: a message means the same in every app,
the domain's words follow docs/glossary.md, tone marks sit one way, and a word that
means two things is told apart by its context on the page."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
CATALOGUES = sorted((ROOT / "ocophub").glob("*/locale/vi/LC_MESSAGES/django.po"))
# Placeholders, {keys} and sheet references (Criteria!A1) are not words of the message.
NOT_WORDS = re.compile(r"%\(\w+\)[sd]|%[sd]|\{[^}]*\}|\w+!")


def entries():
    for path in CATALOGUES:
        app = path.parts[-5]
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
            yield app, entry, texts


def glossary():
    """(English, [Vietnamese that must appear]) of each checked row of the glossary."""
    rows = []
    for line in (ROOT / "docs" / "glossary.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] in ("English", "") or set(cells[0]) <= {"-"}:
            continue
        if cells[3] in ("—", ""):
            continue
        for english in re.split(r"[;,]\s*", re.sub(r"\(.*?\)", "", cells[0])):
            rows.append((english.strip(), cells[3].split(" or ")))
    return rows


def test_one_message_reads_the_same_in_every_app():
    """Django merges the apps' catalogues and the first app wins: a message translated
    two ways shows one app's words on the other's pages ("Chu kỳ" for a supply-chain
    step). Where a word means another thing, the page gives it a context."""
    seen: dict[tuple[str | None, str], dict[str, tuple[str, ...]]] = {}
    for app, entry, texts in entries():
        seen.setdefault((entry.msgctxt, entry.msgid), {})[app] = tuple(texts)
    differ = {key: apps for key, apps in seen.items() if len(set(apps.values())) > 1}
    assert differ == {}


def test_the_glossary_is_read_by_this_test():
    words = dict(glossary())
    assert words["dossier"] == ["hồ sơ"] and words["council"] == ["hội đồng"]
    assert len(words) > 30


@pytest.mark.parametrize(("english", "vietnamese"), glossary(), ids=lambda v: str(v))
def test_every_message_naming_a_domain_word_says_it_as_the_glossary_does(english, vietnamese):
    word = re.compile(r"\b" + re.escape(english) + r"(s|es)?\b", re.IGNORECASE)
    wrong = []
    for app, entry, texts in entries():
        # A context marks the word as meaning something else there (a trademark's
        # certificate is a "văn bằng").
        if entry.msgctxt or not word.search(NOT_WORDS.sub("", entry.msgid)):
            continue
        for text in texts:
            if not any(v.lower() in text.lower() for v in vietnamese):
                wrong.append(f"{app}: {entry.msgid!r} → {text!r}")
    assert wrong == []


# One placement of the tone mark in an open syllable (hòa, khóa, hủy, thủy), as most of
# the catalogue had it; "quý" is a different case (qu is one consonant).
NEW_PLACEMENT = re.compile(
    r"(?<!q)(oà|oá|oả|oã|oạ|oè|oé|oẻ|oẽ|oẹ|uỳ|uý|uỷ|uỹ|uỵ)(?![a-zà-ỹđ])", re.IGNORECASE
)


def test_tone_marks_sit_one_way():
    other = [
        f"{app}: {text!r}"
        for app, _entry, texts in entries()
        for text in texts
        if NEW_PLACEMENT.search(text)
    ]
    assert other == []


@pytest.fixture
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.mark.usefixtures("vietnamese")
def test_a_supply_chain_step_and_a_chart_step_are_two_words():
    assert translation.gettext("Step") == "Công đoạn"
    assert translation.pgettext("chart period", "Step") == "Xem theo"
    assert translation.gettext("Of") == "Tổng số"
    assert translation.pgettext("scans", "Places") == "Nơi quét"
    assert translation.gettext("Places") == "Địa giới hành chính"
    assert translation.pgettext("action", "Score") == "Chấm điểm"
    assert translation.gettext("Score") == "Điểm"
