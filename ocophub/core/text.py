"""Search folding for Vietnamese text.

"Mật ong", "mat ong" and "MAT ONG" must find the same product, and "d" must find "đ":
fold both the stored text and the query the same way, then compare plainly. Stored
folded text lives in a `search_text` column so that SQLite and PostgreSQL search alike.
"""

import re
import unicodedata

# đ/Đ are letters of their own, not d plus a mark, so NFD leaves them alone.
_SPECIAL = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})
_SPACES = re.compile(r"\s+")


def fold(text):
    """Lower-case, strip every diacritic, collapse white space."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text).translate(_SPECIAL))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", bare.casefold()).strip()


def search_terms(query):
    """The folded words of a query, each of which must appear in a match."""
    return [t for t in fold(query).split(" ") if t]


def filter_by_search(queryset, query, field="search_text"):
    for term in search_terms(query):
        queryset = queryset.filter(**{f"{field}__contains": term})
    return queryset
