import datetime
import json
import re

from django.utils import timezone

from ocophub.market.catalogue import CatalogueQuery, search_catalogue
from ocophub.market.models import product_url

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def slug(product):
    return product.search_entry.slug


def test_the_catalogue_lists_products_with_a_certificate_in_force(client, certified):
    page = client.get("/san-pham/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Mật ong hoa nhãn Thanh An" in text
    assert "Gạo nếp cái hoa vàng" not in text
    assert "1 sản phẩm" in text


def test_an_expired_product_page_says_why_and_is_left_out_of_sitemap_and_feeds(client, certified):
    page = client.get(product_url(slug(certified["rice"])))
    assert page.status_code == 200
    text = page.content.decode()
    assert "hết hạn" in text or "expired" in text
    assert 'name="robots" content="noindex"' in text
    assert "application/ld+json" not in text
    sitemap = client.get("/sitemap-products.xml").content.decode()
    assert slug(certified["honey"]) in sitemap
    assert slug(certified["rice"]) not in sitemap
    feed = client.get("/feeds/products.json").json()
    assert [i["name"] for i in feed["items"]] == ["Mật ong hoa nhãn Thanh An"]
    assert feed["left_out"][0]["name"] == "Gạo nếp cái hoa vàng"
    assert feed["left_out"][0]["reason"]
    assert "Gạo" not in client.get("/feeds/merchant.tsv").content.decode()


def test_a_revocation_takes_the_product_out_at_once(client, certified):
    honey = certified["honey"]
    certificate = honey.certificates.get()
    certificate.revoked_on = timezone.localdate()
    certificate.revocation_reason = "Vi phạm an toàn thực phẩm."
    certificate.save()
    assert "Mật ong" not in client.get("/san-pham/").content.decode()
    assert client.get("/feeds/products.json").json()["items"] == []
    page = client.get(product_url(slug(honey)), **EN).content.decode()
    assert "revoked" in page
    assert "Vi phạm an toàn thực phẩm." in page


def test_the_product_page_carries_one_schema_org_product(client, certified):
    honey = certified["honey"]
    text = client.get(product_url(slug(honey))).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["@type"] == "Product"
    assert data["gtin"] == "08930000000019"
    assert data["hasCertification"]["certificationRating"]["ratingValue"] == 4
    offers = {o["seller"]["name"]: o for o in data["offers"]}
    assert offers["Postmart"]["priceCurrency"] == "VND"
    assert offers["Postmart"]["price"] == 180000
    assert offers["Postmart"]["availability"] == "https://schema.org/InStock"
    assert "Cửa hàng OCOP Đà Bắc" in offers
    assert 'property="og:title" content="Mật ong hoa nhãn Thanh An"' in text
    assert "<script>" not in text  # no inline code, only the data block


def test_the_english_page_beside_it_is_in_english(client, certified):
    honey = certified["honey"]
    text = client.get(product_url(slug(honey), english=True)).content.decode()
    assert "Thanh An longan honey" in text
    assert "Where to buy" in text
    assert f'hreflang="vi" href="http://testserver/san-pham/{slug(honey)}/"' in text


def test_the_slug_stays_when_the_product_is_renamed(certified):
    honey = certified["honey"]
    before = slug(honey)
    honey.name = "Mật ong rừng"
    honey.save()
    honey.search_entry.refresh_from_db()
    assert honey.search_entry.slug == before
    assert before.startswith("mat-ong-hoa-nhan-thanh-an-")


def test_facets_count_the_matches(certified, make_product):
    second = make_product(certified["producer"], name="Mật ong bạc hà")
    from ocophub.testing.builders import issue

    issue(second, stars=5, valid_from=datetime.date(2025, 1, 2))
    result = search_catalogue(CatalogueQuery(q="mat ong"))
    assert result.count == 2
    assert result.facets["stars"] == {"4": 1, "5": 1}
    assert result.facets["producer_type"] == {"cooperative": 2}
    assert result.facets["channel"] == {"postmart": 1}
    assert result.facets["group"] == {"1": 2}
    only_postmart = search_catalogue(CatalogueQuery(q="mat ong", channel="postmart"))
    assert only_postmart.count == 1


def test_producer_and_place_pages_show_listed_products(client, certified):
    producer = certified["producer"]
    page = client.get(f"/nha-san-xuat/{producer.pk}/").content.decode()
    assert "Mật ong hoa nhãn Thanh An" in page
    assert "Gạo nếp" not in page
    assert "Postmart" in page
    commune = producer.commune.current
    page = client.get(f"/xa/{commune.code}/").content.decode()
    assert f"OCOP của {commune.name}" in page or commune.name in page
    assert "Mật ong hoa nhãn Thanh An" in page


def test_the_sitemap_is_an_index_of_sections(client, certified):
    index = client.get("/sitemap.xml")
    assert index["Content-Type"].startswith("application/xml")
    assert "<sitemapindex" in index.content.decode()
    assert "sitemap-products.xml" in index.content.decode()
    producers = client.get("/sitemap-producers.xml").content.decode()
    assert f"/nha-san-xuat/{certified['producer'].pk}/" in producers


def test_the_merchant_feed_has_google_required_columns(client, certified):
    # Google Merchant needs an image: give the honey a photo.
    from ocophub.products.models import ProductPhoto
    from ocophub.testing.files import upload

    honey = certified["honey"]
    del upload  # photos are made below with Pillow
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "orange").save(buffer, "JPEG")
    ProductPhoto.objects.create(
        product=honey, image=SimpleUploadedFile("mat-ong.jpg", buffer.getvalue())
    )
    rows = client.get("/feeds/merchant.tsv").content.decode().splitlines()
    header = rows[0].split("\t")
    for column in ("id", "title", "description", "link", "image_link", "availability", "price"):
        assert column in header
    values = dict(zip(header, rows[1].split("\t"), strict=True))
    assert values["price"] == "180000 VND"
    assert values["gtin"] == "08930000000019"
    xml = client.get("/feeds/merchant.xml").content.decode()
    assert "<g:price>180000 VND</g:price>" in xml


def test_the_address_filters_as_the_registry_reads_them_and_status_brings_back_nothing(
    client, certified
):
    # The registry's "status" filter is not the catalogue's: only a certificate in force lists.
    page = client.get("/san-pham/", {"q": " mat ong ", "stars": " 4 ", "status": "expired"})
    text = page.content.decode()
    assert "Mật ong hoa nhãn Thanh An" in text
    assert "Gạo nếp cái hoa vàng" not in text
    assert client.get("/san-pham/", {"stars": "3"}).content.decode().count("Gạo nếp") == 0
