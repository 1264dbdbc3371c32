"""Records named in both languages: the English name when the page is English.

Records keep their Vietnamese name (`name`) and may carry an English one (`name_en`,
`title_en`); an English page shows the English one when there is one, else the
Vietnamese. In Python::

    from ocophub.core.i18n import in_page_language
    label = in_page_language(product.name, product.name_en)

In a template, `{% load ocop %}{{ product|page_name }}` for a record with `name` and
`name_en`. Pass `language` when the language is not the active one (the scan page
chooses its own from the shopper's browser).
"""

from typing import Any

from django.utils.translation import get_language


def in_page_language(vietnamese: str, english: str | None, language: str | None = None) -> str:
    """`english` on an English page (or `language` "en") when it is not blank."""
    language = language or get_language() or ""
    if english and language.split("-")[0] == "en":
        return english
    return vietnamese


def page_name(record: Any, language: str | None = None) -> str:
    """A record's `name`, or its `name_en` on an English page."""
    return in_page_language(record.name, getattr(record, "name_en", ""), language)
