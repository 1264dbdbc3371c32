"""The evaluation cycle's steps, each checking who may take it and validating before it
writes: register a dossier, the commune/district step, scoring, closing, the decision.

Every function raises ValidationError (or PermissionDenied) with a message for the user
and writes nothing when it refuses.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ocophub.accounts.models import Role
from ocophub.certificates.issuing import issue_certificate
from ocophub.products.models import Product

from .classify import CERTIFIED_STARS, check_scores, classify, council_score
from .models import (
    Council,
    CriteriaSet,
    Decision,
    DecisionItem,
    Dossier,
    DossierKind,
    DossierStatus,
    LocalAssessment,
    Round,
    RoundStatus,
    ScoreSheet,
)
from .procedures import AuthorityError, BodyLevel, authority, procedure_on
from .receivers import tell_before_council, tell_returned, tell_scores_in


def _set_user(obj, user):
    if user is not None and user.is_authenticated:
        obj._history_user = user


# --- who may do what -----------------------------------------------------------------


def rounds_for(user):
    """Rounds are calls for applications: any signed-in user sees those of their
    province and those holding a dossier they can see."""
    if user.is_superuser:
        return Round.objects.all()
    q = Q(dossiers__in=Dossier.objects.visible_to(user))
    provinces = {user.province_id} if user.province_id else set()
    # A producer account sees the rounds of the province its producers are in today.
    for producer in user.producers.select_related("commune__province", "commune__successor"):
        commune = producer.commune
        province = commune.current.province if commune.current else commune.province
        provinces.add(province.successor_id or province.pk)
    if provinces:
        q |= Q(province_id__in=provinces)
    return Round.objects.filter(q).distinct()


def runs_round(user, round_):
    """The province office of the round's province (or a superuser)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or (
        user.role == Role.PROVINCE_OFFICE and user.province_id == round_.province_id
    )


def may_register(user, product):
    """Producers for their own products; officers for products in their territory."""
    return Product.objects.editable_by(user).filter(pk=product.pk).exists()


def may_edit_dossier(user, dossier):
    if dossier.status != DossierStatus.DRAFT or dossier.round.status != RoundStatus.OPEN:
        return False
    return runs_round(user, dossier.round) or may_register(user, dossier.product)


def does_local_step(user, dossier):
    """The commune officer governing the product's commune (the district step before
    July 2025 is recorded by the same officers, who inherited the district's records),
    or the province office."""
    if runs_round(user, dossier.round):
        return True
    return (
        user.is_authenticated and user.is_commune_officer and user.governs(dossier.product.commune)
    )


# --- dossiers ------------------------------------------------------------------------


@transaction.atomic
def register_dossier(round_, product, kind, user):
    if round_.status != RoundStatus.OPEN:
        raise ValidationError(_("This round is closed to new dossiers."))
    if not (runs_round(user, round_) or may_register(user, product)):
        raise PermissionDenied(_("You may not register a dossier for this product."))
    if Dossier.objects.filter(round=round_, product=product).exists():
        raise ValidationError(
            {
                "product": _("%(product)s already has a dossier in this round.")
                % {"product": product}
            }
        )
    # An upgrade starts from a certificate in force; a re-evaluation renews one the
    # product holds or held. A new product has none in force.
    in_force = product.certificates.valid_on(round_.opens_on).exists()
    if kind == DossierKind.UPGRADE and not in_force:
        raise ValidationError(
            {"kind": _("An upgrade needs a certificate in force; register a new product instead.")}
        )
    if kind == DossierKind.REEVALUATION and not product.certificates.exists():
        raise ValidationError(
            {"kind": _("A re-evaluation renews a certificate, and this product never held one.")}
        )
    if kind == DossierKind.NEW and in_force:
        raise ValidationError(
            {
                "kind": _(
                    "This product already holds a certificate: register an upgrade or a "
                    "re-evaluation."
                )
            }
        )
    criteria_set = CriteriaSet.for_product(product, round_.opens_on)
    if criteria_set is None:
        raise ValidationError(
            {
                "product": _(
                    "No criteria set in force on %(day)s covers the product group of %(product)s; "
                    "the provincial office must import one first."
                )
                % {"day": date_format(round_.opens_on), "product": product}
            }
        )
    dossier = Dossier(
        round=round_, product=product, kind=kind, criteria_set=criteria_set, registered_by=user
    )
    _set_user(dossier, user)
    dossier.save()
    return dossier


def save_self_assessment(dossier, raw_scores, user):
    if not may_edit_dossier(user, dossier):
        raise PermissionDenied(_("This dossier can no longer be changed by you."))
    scores = check_scores(dossier.criteria_set.criteria_by_code(), raw_scores)
    dossier.self_assessment = {code: float(points) for code, points in scores.items()}
    _set_user(dossier, user)
    dossier.save(update_fields=["self_assessment"])
    return classify(dossier.criteria_set, scores)


@transaction.atomic
def record_local_step(dossier, user, **fields):
    """Record the commune (or, before 6 July 2025, district) assessment; with
    `proposed=True` the dossier goes to the province council."""
    if not does_local_step(user, dossier):
        raise PermissionDenied(_("Only the commune officer of the product's commune may do this."))
    if dossier.status == DossierStatus.DECIDED:
        raise ValidationError(_("This dossier is decided."))
    step = getattr(dossier, "local_step", None) or LocalAssessment(dossier=dossier)
    for name, value in fields.items():
        setattr(step, name, value)
    step.level = procedure_on(step.assessed_on or timezone.localdate()).local_step
    step.assessed_by = user
    if step.proposed:
        missing = dossier.missing()
        if missing:
            raise ValidationError(
                {
                    "proposed": _("The dossier is incomplete: %(missing)s.")
                    % {"missing": "; ".join(missing)}
                }
            )
    step.full_clean()
    _set_user(step, user)
    step.save()
    if step.proposed and dossier.status == DossierStatus.DRAFT:
        dossier.status = DossierStatus.PROPOSED
        dossier.council = dossier.council or first_council(dossier.round)
        _set_user(dossier, user)
        dossier.save(update_fields=["status", "council"])
        tell_before_council(dossier)
    elif not step.proposed and dossier.status == DossierStatus.DRAFT:
        tell_returned(step)
    return step


# --- councils and scoring ------------------------------------------------------------

# A proposed dossier goes to the lowest council the round has: a district council under
# the earlier procedures (it scores first and recognises 3 stars under 148), otherwise
# the province's.
LEVEL_ORDER = [BodyLevel.COMMUNE, BodyLevel.DISTRICT, BodyLevel.PROVINCE, BodyLevel.NATIONAL]


def first_council(round_):
    councils = {c.level: c for c in round_.councils.all()}
    return next((councils[level] for level in LEVEL_ORDER if level in councils), None)


@transaction.atomic
def forward_dossier(dossier, council, user):
    """Send a dossier to a higher council of the same round (a district council's
    4-star candidates to the province, 90 points and more to the ministry). Its earlier
    sheets stay in its history and no longer count."""
    if not runs_round(user, dossier.round):
        raise PermissionDenied(_("Only the provincial OCOP office forwards dossiers."))
    if council.round_id != dossier.round_id:
        raise ValidationError(_("That council belongs to another round."))
    current = Council.objects.filter(pk=dossier.council_id).first()
    if current is None or LEVEL_ORDER.index(council.level) <= LEVEL_ORDER.index(current.level):
        raise ValidationError(_("A dossier is forwarded only to a higher level's council."))
    if not current.scoring_closed_at:
        raise ValidationError(_("The current council has not closed scoring yet."))
    if dossier.is_decided:
        raise ValidationError(_("This dossier is decided."))
    dossier.council = council
    _set_user(dossier, user)
    dossier.save(update_fields=["council"])
    tell_before_council(dossier)
    return dossier


@transaction.atomic
def form_council(round_, user, name, chair, members, level=BodyLevel.PROVINCE):
    """Set up the round's council at `level`: the chair plus members (users). Dossiers
    already proposed join it."""
    if not runs_round(user, round_):
        raise PermissionDenied(_("Only the provincial OCOP office sets up councils."))
    if round_.councils.filter(level=level).exists():
        raise ValidationError(_("This round already has a council at this level."))
    council = Council(round=round_, name=name, level=level)
    _set_user(council, user)
    council.save()
    seats = [chair] + [m for m in members if m != chair]
    for seat_user in seats:
        seat = council.members.model(council=council, user=seat_user, is_chair=seat_user == chair)
        _set_user(seat, user)
        seat.save()
    if first_council(round_) == council:
        for dossier in round_.dossiers.filter(status=DossierStatus.PROPOSED, council__isnull=True):
            dossier.council = council
            _set_user(dossier, user)
            dossier.save(update_fields=["council"])
            tell_before_council(dossier)
    return council


def sheet_for(dossier, user):
    """The user's own sheet for `dossier` (created blank); PermissionDenied if the user
    is not on the dossier's council or is tied to its producer."""
    council = dossier.council
    member = council.member_for(user) if council else None
    if member is None:
        raise PermissionDenied(_("You are not a member of the council reviewing this dossier."))
    conflict = member.conflict_with(dossier)
    if conflict:
        raise PermissionDenied(_("You may not score this dossier: %(why)s") % {"why": conflict})
    sheet = ScoreSheet.objects.filter(dossier=dossier, member=member).first()
    return sheet or ScoreSheet(dossier=dossier, member=member)


@transaction.atomic
def save_sheet(sheet, raw_scores, user, submit=False, comment=None):
    """Save a member's scores; with `submit`, every criterion must be scored and the
    sheet becomes final."""
    if sheet.member.user_id != user.pk:
        raise PermissionDenied(_("A member can only change their own score sheet."))
    if sheet.dossier.council.scoring_closed_at:
        raise ValidationError(_("The chair has closed scoring for this council."))
    if sheet.submitted_at:
        raise ValidationError(_("This score sheet was submitted and cannot change."))
    criteria = sheet.dossier.criteria_set.criteria_by_code()
    scores = check_scores(criteria, raw_scores)
    if submit:
        unscored = [code for code in criteria if code not in scores]
        if unscored:
            raise ValidationError(
                _("Score every criterion before submitting; missing: %(codes)s.")
                % {"codes": ", ".join(unscored)}
            )
    sheet.scores = {code: float(points) for code, points in scores.items()}
    if comment is not None:
        sheet.comment = comment
    if submit:
        sheet.submitted_at = timezone.now()
    _set_user(sheet, user)
    sheet.save()
    if submit and not outstanding_sheets(sheet.dossier.council):
        tell_scores_in(sheet.dossier.council)
    return sheet


def may_read_sheet(user, sheet):
    """Independence: a member reads another member's sheet for a dossier only after
    submitting their own for it; the province office reads sheets once scoring is closed."""
    if not user.is_authenticated:
        return False
    if sheet.member.user_id == user.pk:
        return True
    council = sheet.dossier.council
    if sheet.submitted_at is None:
        return False
    if council.scoring_closed_at and (user.is_superuser or runs_round(user, council.round)):
        return True
    member = council.member_for(user)
    return (
        member is not None
        and ScoreSheet.objects.filter(
            dossier=sheet.dossier, member=member, submitted_at__isnull=False
        ).exists()
    )


def eligible_members(council, dossier, members=None, ties=None):
    members = members if members is not None else list(council.members.select_related("user"))
    return [m for m in members if not m.conflict_with(dossier, ties)]


def outstanding_sheets(council):
    """[(dossier, [members who have not submitted])] for the council's dossiers."""
    members = list(council.members.select_related("user"))
    ties = council.ties()
    submitted = set(
        ScoreSheet.objects.filter(
            dossier__council=council, member__council=council, submitted_at__isnull=False
        ).values_list("dossier_id", "member_id")
    )
    out = []
    for dossier in council.dossiers.select_related("product__producer"):
        waiting = [
            m
            for m in eligible_members(council, dossier, members, ties)
            if (dossier.pk, m.pk) not in submitted
        ]
        if waiting:
            out.append((dossier, waiting))
    return out


@transaction.atomic
def close_scoring(council, user):
    if council.chair != user:
        raise PermissionDenied(_("Only the council's chair closes scoring."))
    if council.scoring_closed_at:
        raise ValidationError(_("Scoring is already closed."))
    if not council.dossiers.exists():
        raise ValidationError(_("The council has no dossiers to score."))
    waiting = outstanding_sheets(council)
    if waiting:
        raise ValidationError(
            _("Some members have not submitted their sheets: %(list)s.")
            % {
                "list": "; ".join(
                    f"{d.product}: {', '.join(str(m) for m in members)}" for d, members in waiting
                )
            }
        )
    council.scoring_closed_at = timezone.now()
    _set_user(council, user)
    council.save(update_fields=["scoring_closed_at"])
    return council


# --- decisions -----------------------------------------------------------------------


def outcome(dossier):
    """(council total, classify Result) for a dossier from its submitted sheets."""
    combined = council_score(dossier)
    result = classify(dossier.criteria_set, combined.per_criterion)
    return combined, result


@transaction.atomic
def issue_decision(
    council, user, *, number, date, issuing_body, body_level, dossiers=None, corrects=None, note=""
):
    """Issue the decision on the council's dossiers (all, or those given): classify
    each, check the body's authority for every achieved dossier, issue certificates,
    and freeze the scores. A correcting decision (`corrects`) restates dossiers the
    corrected decision covered."""
    if not runs_round(user, council.round):
        raise PermissionDenied(_("Only the provincial OCOP office records decisions."))
    if not council.scoring_closed_at:
        raise ValidationError(_("The chair has not closed scoring yet."))
    number = (number or "").strip()
    issuing_body = (issuing_body or "").strip()
    errors = {}
    if not number:
        errors["number"] = _("Give the decision number.")
    if not issuing_body:
        errors["issuing_body"] = _("Name the issuing body.")
    if date is None:
        errors["date"] = _("Give the decision date.")
    if errors:
        raise ValidationError(errors)
    if Decision.objects.filter(issuing_body=issuing_body, number=number).exists():
        raise ValidationError(
            {"number": _("This body already issued a decision with this number.")}
        )
    chosen = list(dossiers if dossiers is not None else council.dossiers.all())
    if not chosen:
        raise ValidationError(_("Choose at least one dossier."))
    corrected_ids = set()
    if corrects is not None:
        if corrects.issued_at is None:
            raise ValidationError({"corrects": _("Only an issued decision can be corrected.")})
        corrected_ids = set(corrects.items.values_list("dossier_id", flat=True))
    problems = []
    plans = []
    for dossier in chosen:
        if dossier.council_id != council.pk:
            problems.append(
                _("%(product)s is not before this council.") % {"product": dossier.product}
            )
            continue
        if dossier.is_decided and dossier.pk not in corrected_ids:
            problems.append(
                _("%(product)s is already decided; correct that decision instead.")
                % {"product": dossier.product}
            )
            continue
        combined, result = outcome(dossier)
        if not combined.has_scores:
            problems.append(
                _("%(product)s has no submitted score sheet.") % {"product": dossier.product}
            )
            continue
        if result.achieved:
            try:
                authority(body_level, result.stars, result.total, date)
            except AuthorityError as exc:
                problems.append(f"{dossier.product}: {exc}")
                continue
        plans.append((dossier, result))
    if problems:
        raise ValidationError(problems)
    decision = Decision(
        round=council.round,
        council=council,
        number=number,
        date=date,
        issuing_body=issuing_body,
        body_level=body_level,
        corrects=corrects,
        note=note,
        created_by=user,
    )
    _set_user(decision, user)
    decision.save()
    for dossier, result in plans:
        certificate = None
        if result.achieved and result.stars in CERTIFIED_STARS:
            previous = (
                corrects.items.filter(dossier=dossier).select_related("certificate").first()
                if corrects is not None
                else None
            )
            if previous and previous.certificate and previous.certificate.stars == result.stars:
                certificate = previous.certificate
            else:
                certificate = issue_certificate(
                    product=dossier.product,
                    stars=result.stars,
                    score=result.total,
                    issued_by=issuing_body,
                    valid_from=date,
                    decision_number=number,
                )
        item = DecisionItem(
            decision=decision,
            dossier=dossier,
            total=result.total,
            stars=result.stars if result.achieved else None,
            achieved=result.achieved,
            reason="; ".join(m["message"] for m in result.missing)
            or ("" if result.achieved else _("Below 3 stars.")),
            certificate=certificate,
        )
        _set_user(item, user)
        item.save()
        if dossier.status != "decided":
            dossier.status = DossierStatus.DECIDED
            _set_user(dossier, user)
            dossier.save(update_fields=["status"])
    decision.issued_at = timezone.now()
    decision.save(update_fields=["issued_at"])
    return decision
