import pytest
from django.core.management import call_command

from ocophub.accounts.models import Role
from ocophub.conftest import make_user
from ocophub.market import tasks
from ocophub.market.models import BROKEN_AFTER, Listing, ListingStatus
from ocophub.notices.models import Kind, Notice

from .conftest import Shopfront


@pytest.fixture
def owner(certified):
    user = make_user("thanhan", Role.PRODUCER)
    certified["producer"].accounts.add(user)
    return user


def live(product, url, platform="voso", **fields):
    return Listing.objects.create(
        product=product, platform=platform, url=url, status=ListingStatus.LIVE, **fields
    )


def test_a_link_that_answers_head_get_or_a_redirect_counts_as_working(shop_server):
    assert tasks.link_answers(f"{shop_server}/ok")
    assert tasks.link_answers(f"{shop_server}/no-head")  # HEAD refused, GET served
    assert tasks.link_answers(f"{shop_server}/moved")
    assert not tasks.link_answers(f"{shop_server}/gone")
    server_down = shop_server.rsplit(":", 1)[0] + ":9"  # the discard port: nothing listens
    assert not tasks.link_answers(server_down, timeout=1)


def test_repeated_failures_mark_a_listing_broken_and_tell_the_producer_once(
    client, shop_server, certified, owner
):
    honey = certified["honey"]
    union = make_user("union", Role.UNION_OFFICER)
    gone = live(honey, f"{shop_server}/gone", made_by=union)
    fine = Listing.objects.get(platform="postmart")
    fine.url = f"{shop_server}/ok"
    fine.save()
    for _run in range(BROKEN_AFTER - 1):
        tasks.check_listing_links.enqueue()
    gone.refresh_from_db()
    assert (gone.failed_checks, gone.broken) == (BROKEN_AFTER - 1, False)
    assert not Notice.objects.exists()
    tasks.check_listing_links.enqueue()
    gone.refresh_from_db()
    assert gone.broken and gone.checked_at is not None
    told = Notice.objects.filter(kind=Kind.LISTING_BROKEN)
    assert {n.recipient for n in told} == {owner, union}
    assert told[0].params["platform"] == "Voso" and told[0].url == f"/market/listings/{gone.pk}/"
    tasks.check_listing_links.enqueue()  # still broken: nobody is told again
    assert told.count() == 2
    client.force_login(owner)
    client.cookies["django_language"] = "en"
    edit = client.get(f"/market/listings/{gone.pk}/").content.decode()
    assert "The link did not answer the last checks" in edit
    client.logout()
    fine.refresh_from_db()
    assert (fine.failed_checks, fine.broken) == (0, False) and fine.checked_at is not None
    # The broken link leaves the public product page; the working one stays.
    page = client.get(f"/san-pham/{honey.search_entry.slug}/").content.decode()
    assert f"{shop_server}/ok" in page and f"{shop_server}/gone" not in page


def test_a_broken_link_that_answers_again_is_mended(shop_server, certified, owner):
    flaky = live(certified["honey"], f"{shop_server}/flaky")
    for _run in range(BROKEN_AFTER):
        tasks.check_listing.enqueue(flaky.pk)
    flaky.refresh_from_db()
    assert flaky.broken
    Shopfront.down = False
    tasks.check_listing.enqueue(flaky.pk)
    flaky.refresh_from_db()
    assert (flaky.broken, flaky.failed_checks) == (False, 0)


def test_drafts_paused_and_delisted_listings_are_not_checked(shop_server, certified):
    Listing.objects.all().delete()
    for status in (ListingStatus.DRAFT, ListingStatus.PAUSED, ListingStatus.DELISTED):
        Listing.objects.create(
            product=certified["honey"], platform="tiki", url=f"{shop_server}/gone", status=status
        )
    assert tasks.check_listing_links.enqueue().return_value == 0
    assert not Listing.objects.filter(checked_at__isnull=False).exists()


def test_the_command_queues_the_link_checks(shop_server, certified):
    listing = Listing.objects.get()
    listing.url = f"{shop_server}/ok"
    listing.save()
    call_command("check_listing_links", stdout=open("/dev/null", "w"))
    listing.refresh_from_db()
    assert listing.checked_at is not None and listing.failed_checks == 0


def test_a_new_address_through_the_api_starts_the_checks_afresh(client, certified, owner):
    from ocophub.accounts.models import ApiToken

    listing = Listing.objects.get()
    listing.failed_checks, listing.broken = BROKEN_AFTER, True
    listing.save()
    changed = client.patch(
        f"/api/v1/listings/{listing.pk}",
        {"url": "https://postmart.vn/p/mat-ong-moi"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(owner)}",
    )
    assert changed.status_code == 200 and changed.json()["broken"] is False
    listing.refresh_from_db()
    assert (listing.failed_checks, listing.broken) == (0, False)
