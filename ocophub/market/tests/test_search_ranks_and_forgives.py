"""The search cases run unchanged on SQLite and PostgreSQL (scripts/with-postgres.sh)."""

import os

import pytest

from ocophub.market.search import Search, index_text, query_terms, ranked, within_one_edit
from ocophub.products.models import Product


@pytest.fixture
def shelf(make_producer, make_product):
    htx = make_producer(name="Hợp tác xã Thanh An")
    thtx = make_producer(name="Tổ hợp tác chè Hòa Bình")
    hkd = make_producer(name="Hộ kinh doanh Bùi Văn Đức", kind="household")
    return {
        "gao": make_product(htx, name="Gạo nếp cái hoa vàng"),
        "ga_ri": make_product(htx, name="Gà Ri Lạc Sơn", name_en="Lac Son free-range chicken"),
        "ga_doi": make_product(thtx, name="Gà đồi Đà Bắc"),
        "mien": make_product(thtx, name="Miến dong", description="Làm từ củ dong, ăn với gà"),
        "hoa": make_product(hkd, name="Chè Hoà Bình", name_en="Hoa Binh tea"),
        "duc": make_product(hkd, name="Đậu tương Đức Thành"),
        "honey": make_product(hkd, name="Mật ong hoa nhãn", name_en="Longan honey"),
    }


def names(query, english=False):
    return [p.name for p in ranked(Product.objects.all(), query, english)]


def test_a_whole_word_in_the_name_beats_a_prefix_which_beats_the_description(shelf):
    found = names("gà")
    assert found[-2:] == ["Gạo nếp cái hoa vàng", "Miến dong"]
    assert set(found[:2]) == {"Gà Ri Lạc Sơn", "Gà đồi Đà Bắc"}


def test_ga_ri_finds_ga_ri_lac_son_first(shelf):
    assert names("ga ri")[0] == "Gà Ri Lạc Sơn"


def test_accents_case_and_tone_placement_are_ignored(shelf):
    assert names("HOÀ BÌNH")[0] == "Chè Hoà Bình"
    assert names("hòa bình")[0] == "Chè Hoà Bình"
    assert names("hoa binh")[0] == "Chè Hoà Bình"
    # The same word typed in decomposed Unicode (as some phone keyboards send it).
    assert names("ho\u0300a bi\u0300nh")[0] == "Chè Hoà Bình"


def test_d_finds_the_letter_d_with_stroke(shelf):
    assert names("dau tuong") == ["Đậu tương Đức Thành"]
    assert "Gà đồi Đà Bắc" in names("doi")


def test_abbreviations_find_the_producer_kind(shelf):
    assert "Gà Ri Lạc Sơn" in names("htx thanh an")
    assert set(names("htx")) == {"Gạo nếp cái hoa vàng", "Gà Ri Lạc Sơn"}
    assert set(names("thtx")) == {"Gà đồi Đà Bắc", "Miến dong"}
    assert set(names("hkd")) == {"Chè Hoà Bình", "Đậu tương Đức Thành", "Mật ong hoa nhãn"}
    # The phrase written out searches as its abbreviation.
    assert set(names("hợp tác xã")) == set(names("htx"))


def test_one_typo_is_forgiven_in_words_of_five_letters_or_more(shelf):
    assert names("tuogn") == ["Đậu tương Đức Thành"]  # swapped neighbours
    assert names("tuonh") == ["Đậu tương Đức Thành"]  # substitution
    assert names("tuongg") == ["Đậu tương Đức Thành"]  # insertion
    assert names("mien") == ["Miến dong"]
    # Four letters are too short to guess at.
    assert names("mein") == []


def test_english_names_count_only_for_english_searches(shelf):
    assert names("chicken") == []
    assert names("chicken", english=True) == ["Gà Ri Lạc Sơn"]
    assert names("honey tea", english=True) == []
    assert names("longan honey", english=True) == ["Mật ong hoa nhãn"]


def test_the_index_follows_renames_and_deletions(shelf):
    product = shelf["duc"]
    product.name = "Tương Bần"
    product.save()
    assert names("tuong ban") == ["Tương Bần"]
    assert names("dau tuong") == []
    producer = shelf["ga_ri"].producer
    producer.name = "Hợp tác xã Mường Vang"
    producer.save()
    assert "Gà Ri Lạc Sơn" in names("muong vang")
    shelf["honey"].delete()
    assert names("hoa nhan") == []


def test_a_search_keeps_to_the_queryset_it_is_given(shelf):
    only = Product.objects.filter(producer__name__startswith="Tổ")
    assert [p.name for p in ranked(only, "ga")] == ["Gà đồi Đà Bắc", "Miến dong"]
    assert Search("ga").filter(only).count() == 2


def test_an_empty_or_punctuation_only_query_keeps_everything(shelf):
    assert len(names("")) == 7
    assert len(names(' "*:() ')) == 7


def test_folding_rules():
    assert index_text("Hợp tác xã Thanh An") == "hop tac xa thanh an htx"
    assert query_terms("HTX  Thanh-An") == ["htx", "thanh", "an"]
    assert query_terms("Hộ kinh doanh Đức") == ["hkd", "duc"]
    assert within_one_edit("thanh", "thnah")
    assert within_one_edit("thanh", "than")
    assert not within_one_edit("thanh", "tahnn")


def test_a_bulk_load_is_found_once_the_index_is_rebuilt(shelf, make_producer):
    from django.core.management import call_command

    from ocophub.market.models import SearchEntry

    kept = SearchEntry.objects.get(product=shelf["honey"]).slug
    producer = shelf["gao"].producer
    # bulk_create sends no signals: the index knows nothing of these until rebuilt.
    Product.objects.bulk_create(
        [
            Product(name=f"Rượu ngô {n}", producer=producer, commune=producer.commune)
            for n in range(3)
        ]
    )
    assert names("ruou ngo") == []
    call_command("market_reindex", stdout=open(os.devnull, "w"))
    assert names("ruou ngo") == ["Rượu ngô 0", "Rượu ngô 1", "Rượu ngô 2"]
    assert names("ruou ngp") == []  # three letters: no typo guessed
    assert names("tuogn") == ["Đậu tương Đức Thành"]
    assert SearchEntry.objects.get(product=shelf["honey"]).slug == kept
