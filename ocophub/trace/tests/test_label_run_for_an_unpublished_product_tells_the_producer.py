"""A label run for a batch whose product is not published tells the producer's accounts
and whoever made the run that its codes answer "unknown", once per run."""

from django.urls import reverse
from django.utils import translation

from ocophub.accounts.models import Role
from ocophub.conftest import make_user
from ocophub.notices.models import Kind, Notice
from ocophub.products.models import Lifecycle
from ocophub.trace.receivers import tell_labels_unpublished
from ocophub.trace.services import add_serials


def label_notices():
    return Notice.objects.filter(kind=Kind.LABELS_UNPUBLISHED)


def test_a_label_run_of_an_unpublished_product_tells_its_producer_and_the_officer(
    honey, honey_batch, producer_account, phu_tho
):
    honey.status = Lifecycle.IN_PREPARATION
    honey.save()
    officer = make_user("office", Role.PROVINCE_OFFICE, province=phu_tho)
    serials = add_serials(honey_batch, 3, officer)
    notices = label_notices()
    assert {n.recipient for n in notices} == {producer_account, officer}
    notice = notices.get(recipient=producer_account)
    assert notice.url == reverse("trace:batch", args=[honey_batch.pk])
    assert notice.params == {
        "batch": "MO2025-07",
        "product": "Mật ong Thanh An",
        "product_en": "Thanh An honey",
    }
    with translation.override("en"):
        assert notice.title == "Labels of batch MO2025-07 lead to an unpublished product"
    with translation.override("vi"):
        assert notice.title == "Tem của lô MO2025-07 dẫn tới sản phẩm chưa công bố"
    # The same run reported again tells nobody twice; a new run is a new event.
    assert tell_labels_unpublished(honey_batch, serials, officer) == []
    add_serials(honey_batch, 2, producer_account)
    assert label_notices().filter(recipient=producer_account).count() == 2


def test_a_label_run_of_a_published_product_tells_nobody(honey, honey_batch, producer_account):
    add_serials(honey_batch, 3, producer_account)
    assert not label_notices().exists()
