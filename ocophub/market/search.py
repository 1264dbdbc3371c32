"""One search for the catalogue, the staff lists and the API.

Text is folded the same way on both sides (core.text.fold: no accents, lower case, so
"Hoà" = "Hòa" and "d" finds "đ"), cut into words, and the common abbreviations are
written both ways ("hợp tác xã" is also "htx"). Each database finds the candidates with
its own engine: SQLite FTS5 over the folded columns, PostgreSQL full-text search
(`to_tsvector('simple', …)` over the folded columns, GIN-indexed) with `pg_trgm` to find
the words one typo away. Ranking is then one Python rule over the candidates' folded
text, so both databases give the same results in the same order:

    whole word in the name  >  prefix of a word in the name  >  match in the description

A word of five letters or more that the index does not hold (neither whole nor as a
prefix) also matches the indexed words one edit away (a substitution, insertion,
deletion or swap of neighbours). English names count only for English searches.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import (
    Case,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Collate, Concat, StrIndex
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django.utils.text import slugify

from ocophub.core.text import fold

from .models import SearchEntry, SearchWord

# Folded phrase -> abbreviation. Longest phrase first: "to hop tac" is not "hop tac xa".
ABBREVIATIONS = {
    "hop tac xa": "htx",
    "to hop tac": "thtx",
    "ho kinh doanh": "hkd",
}
TYPO_MIN_LENGTH = 5
_NOT_WORD = re.compile(r"[\W_]+")

# Ranking weights: only their order matters.
NAME_WORD, NAME_TYPO, NAME_PREFIX, BODY = 30, 25, 20, 10
PHRASE_BONUS = 5
# What ranking reads of each candidate (a Product queryset's values).
RANKED_COLUMNS = ("stars", "search_entry__name", "search_entry__name_en", "search_entry__body")


def words(text):
    """Folded words of a text, without the abbreviations."""
    return [w for w in _NOT_WORD.sub(" ", fold(text)).split(" ") if w]


def index_text(*texts):
    """Folded text as stored: the words, then the abbreviations of phrases it holds."""
    plain = " ".join(w for t in texts for w in words(t))
    padded = f" {plain} "
    extra = [abbr for phrase, abbr in ABBREVIATIONS.items() if f" {phrase} " in padded]
    return " ".join([plain, *extra]).strip()


def query_terms(query):
    """The folded words of a query, each phrase of ABBREVIATIONS replaced by its
    abbreviation (so "Hợp tác xã" and "HTX" search alike)."""
    padded = f" {' '.join(words(query))} "
    for phrase, abbr in ABBREVIATIONS.items():
        padded = padded.replace(f" {phrase} ", f" {abbr} ")
    return [w for w in padded.split(" ") if w]


def within_one_edit(a, b):
    """Optimal string alignment distance <= 1 (a swap of neighbours is one edit)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    if la > lb:
        a, b = b, a
    # b is a with one letter inserted.
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


def _typo_candidates(term):
    """Indexed words that might be one edit from `term`, from the engine's own index.
    One edit in a word of five letters or more leaves its first two letters or its last
    two as they were: only those words are read."""
    words = SearchWord.objects.filter(
        Q(word__startswith=term[:2]) | Q(word__endswith=term[-2:]),
        length__gte=len(term) - 1,
        length__lte=len(term) + 1,
    )
    if connection.vendor == "postgresql":
        # Trigram similarity of one edit in a word of five letters is at least 0.25.
        words = words.extra(where=["similarity(word, %s) >= 0.2"], params=[term])
    return words.values_list("word", flat=True)


def _indexed_prefix(word):
    """Whether an indexed word starts with `word`."""
    if connection.vendor == "sqlite":
        # The same test as a range over the unique index (SQLite's LIKE would read every
        # word): in code point order, the words that start with "mat" are those from
        # "mat" up to, not including, "mau".
        following = word[:-1] + chr(ord(word[-1]) + 1)
        return SearchWord.objects.filter(word__gte=word, word__lt=following).exists()
    return SearchWord.objects.filter(word__startswith=word).exists()


@dataclass
class Term:
    word: str
    typos: set = field(default_factory=set)

    def alternatives(self):
        return [self.word, *sorted(self.typos)]


def expand(terms):
    result = []
    for word in terms:
        term = Term(word)
        if len(word) >= TYPO_MIN_LENGTH and not _indexed_prefix(word):
            term.typos = {w for w in _typo_candidates(word) if within_one_edit(word, w)}
        result.append(term)
    return result


def _engine_filter(terms, english):
    """The candidates' primary keys as a subquery, from the database's own engine."""
    if connection.vendor == "postgresql":
        tsquery = " & ".join(
            "(" + " | ".join([f"{t.word}:*", *sorted(t.typos)]) + ")" for t in terms
        )
        vector = "name || ' ' || name_en || ' ' || body" if english else "name || ' ' || body"
        return RawSQL(
            "SELECT product_id FROM market_searchentry "
            f"WHERE to_tsvector('simple', {vector}) @@ to_tsquery('simple', %s)",
            [tsquery],
        )
    expression = " AND ".join(
        "(" + " OR ".join([f'"{t.word}"*', *(f'"{w}"' for w in sorted(t.typos))]) + ")"
        for t in terms
    )
    columns = "{name name_en body}" if english else "{name body}"
    return RawSQL(
        "SELECT rowid FROM market_search_fts WHERE market_search_fts MATCH %s",
        [f"{columns} : ({expression})"],
    )


def _padded(text):
    """The words of a text between single spaces, so that " word " finds a whole word
    and " prefix" the start of one with a substring search (no loop over the words)."""
    return f" {' '.join(text.split())} "


def _term_score(term, name, body):
    """`name` and `body` padded (_padded)."""
    if f" {term.word} " in name:
        return NAME_WORD
    typos = [f" {w} " for w in term.typos]
    if any(t in name for t in typos):
        return NAME_TYPO
    if f" {term.word}" in name:
        return NAME_PREFIX
    if f" {term.word}" in body or any(t in body for t in typos):
        return BODY
    return 0


def score(terms, name, body, name_en="", english=False):
    """The rank of one entry for the expanded query terms; 0 if a term is missing."""
    padded_name = _padded(f"{name} {name_en}" if english else name)
    padded_body = _padded(body)
    total = 0
    for term in terms:
        s = _term_score(term, padded_name, padded_body)
        if not s:
            return 0
        total += s
    phrase = " ".join(t.word for t in terms)
    if len(terms) > 1 and f" {phrase} " in f" {name} ":
        total += PHRASE_BONUS
    return total


class Search:
    """`Search(q, english).filter(qs)` keeps the matches; `.rank(qs)` orders their ids."""

    def __init__(self, query, english=False):
        self.english = english
        self.terms = expand(query_terms(query or ""))

    def __bool__(self):
        return bool(self.terms)

    def filter(self, queryset):
        """Products, or search entries (their primary key is the product's), that the
        engine finds."""
        if not self.terms:
            return queryset
        return queryset.filter(pk__in=_engine_filter(self.terms, self.english))

    def ordered_entries(self, entries):
        """Search entries of the matches, best first (then more stars, then folded name,
        then product), ranked by the database: the same rule as `score`, as substring
        tests over the stored folded text. Without a query, by stars then name."""
        name = Collate("name", "C" if connection.vendor == "postgresql" else "BINARY")
        order = [F("stars").desc(nulls_last=True), name, "pk"]
        if not self.terms:
            return entries.order_by(*order)
        entries = self.filter(entries).annotate(rank=self._rank())
        return entries.order_by("-rank", *order)

    def _rank(self):
        """`score` as an SQL expression. The engine's candidates hold every term in the
        name or the body (the prefix or a typo), so no term scores 0 here."""
        space = Value(" ")
        if self.english:
            name = Concat(space, "name", space, "name_en", space, output_field=TextField())
        else:
            name = Concat(space, "name", space, output_field=TextField())
        body = Concat(space, "body", space, output_field=TextField())

        def has(text, part):
            return GreaterThan(StrIndex(text, Value(part)), 0)

        total = Value(0)
        for term in self.terms:
            typos = [f" {w} " for w in sorted(term.typos)]
            cases = [When(has(name, f" {term.word} "), then=Value(NAME_WORD))]
            cases += [When(has(name, t), then=Value(NAME_TYPO)) for t in typos]
            cases += [When(has(name, f" {term.word}"), then=Value(NAME_PREFIX))]
            cases += [When(has(body, p), then=Value(BODY)) for p in [f" {term.word}", *typos]]
            total = total + Case(*cases, default=Value(0))
        if len(self.terms) > 1:
            phrase = f" {' '.join(t.word for t in self.terms)} "
            plain = Concat(space, "name", space, output_field=TextField())
            total = total + Case(When(has(plain, phrase), then=Value(PHRASE_BONUS)), default=0)
        return ExpressionWrapper(total, output_field=IntegerField())

    def rank(self, queryset):
        """Primary keys of the matches in `queryset`, best first (then more stars, then
        name); without a query, by stars then name."""
        return [row[0] for row in self.order(self.candidates(queryset))]

    def candidates(self, queryset, *columns):
        """Rows of the engine's candidates in `queryset`, in one query: the primary key,
        then `columns` (fields or annotations of the queryset), then what ranking reads.
        Without a query, every row, already in order."""
        if not self.terms:
            return list(queryset.order_by("-stars", "name", "pk").values_list("pk", *columns))
        # Unordered: ranking sorts the rows itself.
        rows = self.filter(queryset).order_by().values_list("pk", *columns, *RANKED_COLUMNS)
        seen = set()
        return [r for r in rows if r[0] not in seen and not seen.add(r[0])]

    def order(self, rows):
        """The rows of `candidates` that match, best first, without what ranking read."""
        if not self.terms:
            return rows
        scored = []
        for row in rows:
            *kept, stars, name, name_en, body = row
            if name is None:  # a product not indexed yet
                continue
            s = score(self.terms, name, body, name_en, self.english)
            if s:
                scored.append(((-s, -(stars or 0), name, row[0]), tuple(kept)))
        scored.sort(key=lambda item: item[0])
        return [kept for _key, kept in scored]


def ranked(queryset, query, english=False):
    """The matching objects of `queryset` in rank order (a list)."""
    ids = Search(query, english).rank(queryset)
    objects = queryset.in_bulk(ids)
    return [objects[i] for i in ids]


# Keeping the index in step ------------------------------------------------------------


def entry_texts(product):
    group = product.group
    return {
        "name": index_text(product.name),
        "name_en": index_text(product.name_en),
        "body": index_text(
            product.description,
            product.story,
            product.producer.name,
            product.commune.name,
            group.name if group else "",
        ),
    }


def certified_runs(certificates):
    """The runs of days (first, last) on which one of the certificates is in force,
    oldest first: each is in force from valid_from to valid_until, or to the day before
    its revocation or supersession (valid_q's rule); overlapping and touching periods
    make one run."""
    one_day = datetime.timedelta(days=1)
    periods = []
    for c in certificates:
        ends = [c.valid_until]
        ends += [d - one_day for d in (c.revoked_on, c.superseded_on) if d is not None]
        if min(ends) >= c.valid_from:
            periods.append((c.valid_from, min(ends)))
    runs = []
    for first, last in sorted(periods):
        if runs and first <= runs[-1][1] + one_day:
            runs[-1] = (runs[-1][0], max(runs[-1][1], last))
        else:
            runs.append((first, last))
    return runs


def listed_columns(certificates, day=None):
    """SearchEntry's listed_* columns: the run holding `day` (today), else the next,
    else the last, and whether other runs lie before or after it."""
    day = day or timezone.localdate()
    runs = certified_runs(certificates)
    if not runs:
        return {
            "listed_from": None,
            "listed_until": None,
            "listed_before": False,
            "listed_after": False,
        }
    i = next((n for n, (_first, last) in enumerate(runs) if last >= day), len(runs) - 1)
    return {
        "listed_from": runs[i][0],
        "listed_until": runs[i][1],
        "listed_before": i > 0,
        "listed_after": i < len(runs) - 1,
    }


def _codes(group):
    """(top group's code, own code) of a product group, or blanks."""
    if group is None:
        return "", ""
    return (group.parent.code if group.parent_id else group.code), group.code


def entry_facets(product, certificates):
    """SearchEntry's facet and listing columns for a product and its certificates."""
    commune = product.commune
    now = commune.successor if commune.successor_id else commune
    group, subgroup = _codes(product.group_2023)
    group_2019, subgroup_2019 = _codes(product.group_2019)
    return {
        "stars": product.stars,
        "group": group,
        "subgroup": subgroup,
        "group_2019": group_2019,
        "subgroup_2019": subgroup_2019,
        "producer_type": product.producer.kind,
        "commune_now": now.pk,
        "province_now": now.province_id,
        "province_after": commune.province.successor_id,
        "commune_code": now.code,
        "province_code": now.province.code,
        **listed_columns(certificates),
    }


FACET_COLUMNS = [
    *("stars", "group", "subgroup", "group_2019", "subgroup_2019", "producer_type"),
    *("commune_now", "province_now", "province_after", "commune_code", "province_code"),
    *("listed_from", "listed_until", "listed_before", "listed_after"),
]
# What entry_facets reads, for a queryset of products.
FACET_RELATED = (
    "producer",
    "group_2023__parent",
    "group_2019__parent",
    "commune__province",
    "commune__successor__province",
)


def new_slug(product):
    """Readable and unique: the folded name, then the product's number."""
    return f"{slugify(' '.join(words(product.name)))[:100].strip('-')}-{product.pk}"


def index_product(product):
    texts = entry_texts(product)
    columns = {**texts, **entry_facets(product, product.certificates.all())}
    SearchEntry.objects.update_or_create(
        product_id=product.pk,
        defaults=columns,
        create_defaults={**columns, "slug": new_slug(product)},
    )
    vocabulary = {w for text in texts.values() for w in text.split() if len(w) <= 64}
    SearchWord.objects.bulk_create(
        [SearchWord(word=w, length=len(w)) for w in vocabulary], ignore_conflicts=True
    )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM market_search_fts WHERE rowid = %s", [product.pk])
            cursor.execute(
                "INSERT INTO market_search_fts(rowid, name, name_en, body) VALUES (%s, %s, %s, %s)",
                [product.pk, texts["name"], texts["name_en"], texts["body"]],
            )


def unindex_product(product_id):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM market_search_fts WHERE rowid = %s", [product_id])


def reindex_all(products, batch_size=2000):
    """Index every product of `products` (after a bulk load, which sends no signals):
    the same texts as index_product, written a batch at a time. Existing entries keep
    their slugs; returns the number indexed."""
    products = products.select_related(*FACET_RELATED).prefetch_related("certificates")
    done = 0
    for start in range(0, products.count(), batch_size):
        chunk = list(products.order_by("pk")[start : start + batch_size])
        _index_batch(chunk)
        done += len(chunk)
    return done


@transaction.atomic
def _index_batch(products):
    texts = {p.pk: entry_texts(p) for p in products}
    slugs = dict(SearchEntry.objects.filter(product_id__in=texts).values_list("product_id", "slug"))
    entries = [
        SearchEntry(
            product_id=p.pk,
            slug=slugs.get(p.pk) or new_slug(p),
            **texts[p.pk],
            **entry_facets(p, p.certificates.all()),
        )
        for p in products
    ]
    SearchEntry.objects.bulk_update(
        [e for e in entries if e.product_id in slugs], ["name", "name_en", "body", *FACET_COLUMNS]
    )
    SearchEntry.objects.bulk_create([e for e in entries if e.product_id not in slugs])
    vocabulary = {w for t in texts.values() for text in t.values() for w in text.split()}
    SearchWord.objects.bulk_create(
        [SearchWord(word=w, length=len(w)) for w in vocabulary if len(w) <= 64],
        ignore_conflicts=True,
    )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM market_search_fts WHERE rowid = %s", [[pk] for pk in texts]
            )
            cursor.executemany(
                "INSERT INTO market_search_fts(rowid, name, name_en, body) VALUES (%s, %s, %s, %s)",
                [[pk, t["name"], t["name_en"], t["body"]] for pk, t in texts.items()],
            )
