"""The market's search index: one row of folded text per product, kept in step by
receivers.py, searched through each database's own engine (search.py)."""

from django.db import models

from ocophub.products.models import Product


class SearchEntry(models.Model):
    """A product's text as search sees it: folded (no accents, lower case), abbreviations
    added ("hop tac xa" also reads "htx"). `body` is the Vietnamese text that is not the
    name: description, story, producer, commune, group."""

    product = models.OneToOneField(
        Product, primary_key=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    name = models.TextField(default="")
    name_en = models.TextField(default="")
    body = models.TextField(default="")

    def __str__(self):
        return self.name


class SearchWord(models.Model):
    """Every word the index holds, so that a mistyped query word can be matched to the
    words within one edit of it."""

    word = models.CharField(max_length=64, unique=True)
    length = models.PositiveSmallIntegerField(db_index=True)

    def __str__(self):
        return self.word
