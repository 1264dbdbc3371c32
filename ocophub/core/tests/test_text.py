import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from ocophub.core.text import fold, search_terms

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxy àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)
vietnamese_text = st.text(alphabet=VIETNAMESE + VIETNAMESE.upper(), max_size=40)


def test_examples_from_the_issue():
    assert fold("Mật ong Thanh An") == "mat ong thanh an"
    assert fold("MAT ONG") == fold("mat ong") == fold("Mật ong")
    assert fold("Hạt dổi Chí Đạo") == "hat doi chi dao"
    assert "d" in fold("đ")
    assert search_terms("  Mật   ONG ") == ["mat", "ong"]


@given(vietnamese_text)
def test_fold_is_plain_ascii_lowercase(text):
    folded = fold(text)
    assert folded.isascii()
    assert folded == folded.lower()
    assert not any(unicodedata.combining(ch) for ch in folded)


@given(vietnamese_text)
def test_fold_is_idempotent_and_ignores_case(text):
    assert fold(fold(text)) == fold(text)
    assert fold(text.upper()) == fold(text.lower()) == fold(text)


@given(vietnamese_text)
def test_fold_ignores_unicode_normal_form(text):
    # Text pasted from Word is often decomposed (NFD); typed text composed (NFC).
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text))


@given(vietnamese_text, vietnamese_text, vietnamese_text)
def test_a_folded_part_is_found_in_the_folded_whole(before, part, after):
    whole = before + part + after
    assert fold(part).strip() in fold(whole) or not fold(part).strip()
