"""The notices the evaluation cycle gives (notices app, a row below): called by the
workflow's steps inside their transaction, so a refused step tells nobody.

Events are named so that repeating a step tells nobody twice: a dossier's arrival
before a council (``dossier:12:council:3``), a returned assessment per day, a council's
complete scoring per number of dossiers it holds.
"""

from django.urls import reverse

from ocophub.accounts.models import Role, User
from ocophub.notices.models import Kind
from ocophub.notices.sending import notify


def _producer_side(dossier):
    """The producer's accounts and whoever registered the dossier."""
    users = list(dossier.product.producer.accounts.filter(is_active=True))
    if dossier.registered_by_id and dossier.registered_by.is_active:
        users.append(dossier.registered_by)
    return users


def _params(dossier, council=None):
    product = dossier.product
    params = {
        "product": product.name,
        "product_en": product.name_en,
        "producer": product.producer.name,
    }
    if council is not None:
        params["council"] = council.name
    return params


def tell_returned(step):
    """A local step recorded without proposing the dossier: the producer side hears it
    is back with them to complete."""
    dossier = step.dossier
    return notify(
        _producer_side(dossier),
        Kind.DOSSIER_RETURNED,
        f"dossier:{dossier.pk}:returned:{step.assessed_on.isoformat()}",
        _params(dossier) | {"day": step.assessed_on.isoformat()},
        url=reverse("evaluation:dossier", args=[dossier.pk]),
        subject=dossier,
    )


def tell_before_council(dossier):
    """A dossier now before its council (proposed, forwarded, or joined when the council
    was set up): the producer side hears where it is, each member who may score it
    (no conflict) that it waits for their score. Proposed with no council yet: the
    producer side hears it went to the province."""
    council = dossier.council
    url = reverse("evaluation:dossier", args=[dossier.pk])
    if council is None:
        return notify(
            _producer_side(dossier),
            Kind.DOSSIER_PROPOSED,
            f"dossier:{dossier.pk}:proposed",
            _params(dossier),
            url=url,
            subject=dossier,
            message="dossier_proposed_no_council",
        )
    event = f"dossier:{dossier.pk}:council:{council.pk}"
    told = notify(
        _producer_side(dossier),
        Kind.DOSSIER_PROPOSED,
        event,
        _params(dossier, council),
        url=url,
        subject=dossier,
    )
    members = [
        m.user for m in council.members.select_related("user") if not m.conflict_with(dossier)
    ]
    return told + notify(
        members,
        Kind.SCORE_NEEDED,
        event,
        _params(dossier, council),
        url=reverse("evaluation:score", args=[dossier.pk]),
        subject=dossier,
    )


def tell_scores_in(council):
    """Every sheet of the council submitted: the chair and the province office of the
    round hear that scoring may close."""
    chair = council.chair
    office = User.objects.filter(
        role=Role.PROVINCE_OFFICE, province_id=council.round.province_id, is_active=True
    )
    n = council.dossiers.count()
    return notify(
        [chair, *office],
        Kind.SCORES_IN,
        f"council:{council.pk}:scores_in:{n}",
        {"council": council.name},
        url=reverse("evaluation:council", args=[council.pk]),
        subject=council,
    )
