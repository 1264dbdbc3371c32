"""Product photos: type and size are checked on the content, thumbnails are made."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ocophub.products.models import ProductPhoto

pytestmark = pytest.mark.django_db


def image_bytes(fmt="PNG", size=(1200, 800), mode="RGB"):
    out = io.BytesIO()
    Image.new(mode, size, (200, 150, 30) if mode == "RGB" else None).save(out, fmt)
    return out.getvalue()


@pytest.fixture
def honey(make_producer, make_product):
    return make_product(make_producer(), name="Mật ong Thanh An")


@pytest.fixture
def officer(client, province_officer):
    client.force_login(province_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def post_photo(client, product, name, data, caption=""):
    upload = SimpleUploadedFile(name, data)
    response = client.post(
        f"/products/{product.pk}/photos/", {"image": upload, "caption": caption}, follow=True
    )
    assert response.status_code == 200
    return [str(m) for m in response.context["messages"]]


def test_a_valid_photo_is_stored_with_a_thumbnail(officer, honey):
    messages = post_photo(officer, honey, "mat-ong.png", image_bytes(), caption="Hũ mật ong")
    assert messages == ["Photo added."]
    photo = ProductPhoto.objects.get(product=honey)
    assert photo.caption == "Hũ mật ong"
    with Image.open(photo.thumbnail.path) as thumb:
        assert thumb.format == "JPEG" and thumb.size == (480, 320)
    with Image.open(photo.image.path) as original:
        assert original.size == (1200, 800)
    page = officer.get(f"/products/{honey.pk}/").content.decode()
    assert photo.thumbnail.url in page and photo.image.url in page


def test_a_jpeg_named_png_is_stored_under_its_real_type(officer, honey):
    assert post_photo(officer, honey, "anh.png", image_bytes("JPEG")) == ["Photo added."]
    photo = ProductPhoto.objects.get(product=honey)
    assert photo.image.name.endswith(".jpg")


def test_sideways_phone_photos_get_upright_thumbnails(officer, honey):
    img = Image.new("RGB", (800, 400), (10, 120, 10))
    exif = img.getexif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    post_photo(officer, honey, "dien-thoai.jpg", out.getvalue())
    with Image.open(ProductPhoto.objects.get().thumbnail.path) as thumb:
        assert thumb.size == (240, 480)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("ghi-chu.txt", b"not a photo at all", "is not a photo we can read"),
        (
            "anh.jpg",
            b"<svg xmlns='http://www.w3.org/2000/svg'></svg>",
            "is not a photo we can read",
        ),
        ("anh.jpg", b"%PDF-1.4 fake", "is not a photo we can read"),
        ("anh.jpg", image_bytes("GIF", (20, 20), "P"), "GIF images are not accepted"),
        ("anh.png", image_bytes("BMP", (20, 20)), "BMP images are not accepted"),
        ("hong.png", image_bytes()[:200], "is not a photo we can read"),
    ],
)
def test_non_images_and_disguised_files_are_refused(officer, honey, name, data, message):
    messages = post_photo(officer, honey, name, data)
    assert len(messages) == 1 and message in messages[0]
    assert not ProductPhoto.objects.exists()


def test_oversized_photos_are_refused(officer, honey, settings):
    data = image_bytes()
    settings.PHOTO_MAX_BYTES = len(data) - 1
    messages = post_photo(officer, honey, "lon.png", data)
    assert len(messages) == 1 and "the limit is" in messages[0] and "Resize it" in messages[0]
    assert not ProductPhoto.objects.exists()


def test_decompression_bombs_are_refused(officer, honey, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    messages = post_photo(officer, honey, "bom.png", image_bytes(size=(200, 200)))
    assert len(messages) == 1 and "too large" in messages[0]
    assert not ProductPhoto.objects.exists()


def test_only_editors_may_add_photos(client, honey, producer_account, commune_officer):
    for user in (producer_account, commune_officer):
        client.force_login(user)
        upload = SimpleUploadedFile("a.png", image_bytes())
        response = client.post(f"/products/{honey.pk}/photos/", {"image": upload})
        assert response.status_code == 404
    client.logout()
    upload = SimpleUploadedFile("a.png", image_bytes())
    assert client.post(f"/products/{honey.pk}/photos/", {"image": upload}).status_code == 302
    assert not ProductPhoto.objects.exists()


def test_a_photo_just_over_the_pixel_limit_is_refused_from_its_header(officer, honey, settings):
    # Between one and two times Pillow's own limit it only warns: the setting decides.
    settings.PHOTO_MAX_PIXELS = 1000
    messages = post_photo(officer, honey, "bom.png", image_bytes(size=(40, 30)))
    assert len(messages) == 1 and "too large" in messages[0]
    assert not ProductPhoto.objects.exists()


def test_a_truncated_jpeg_is_refused_and_leaves_no_file(officer, honey, settings):
    out = io.BytesIO()
    Image.effect_noise((600, 400), 50).convert("RGB").save(out, "JPEG")
    data = out.getvalue()
    messages = post_photo(officer, honey, "cut.jpg", data[: len(data) // 2])
    assert len(messages) == 1 and "is not a photo we can read" in messages[0]
    assert not ProductPhoto.objects.exists()
    folder = settings.MEDIA_ROOT / "products" / str(honey.pk)
    assert not folder.exists() or not any(folder.iterdir())
