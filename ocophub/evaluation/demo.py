"""Demo evaluation: an open round of the province holding Lạc Sơn's six products in
preparation, before a council of the demo users council1 (chair) and council2, partly
scored. The scores and documents are sample data; the six products come from the seed
article. Safe to run again: the round is found by its title."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from ocophub.accounts.models import User
from ocophub.places.models import Era, Province
from ocophub.products.models import Product

from .loading import load_shipped
from .models import (
    Council,
    CouncilMember,
    CriteriaSet,
    Dossier,
    DossierDocument,
    DossierStatus,
    LocalAssessment,
    Round,
    ScoreSheet,
    required_documents,
)
from .procedures import procedure_on

DEMO_TITLE = "Đợt đánh giá mẫu: sáu sản phẩm Lạc Sơn (dữ liệu mẫu)"
SIX_PRODUCTS = [
    "Muối hạt dổi Chí Đạo",
    "Măng chua Văn Sơn",
    "Xúc xích ốc Lạc Sơn",
    "Vịt cổ xanh Yên Phú",
    "Bột nghệ gia vị Tân Lập",
    "Trứng gà thảo dược Hương Nhượng",
]
# How far each dossier got: documents complete, proposed by the commune, and the
# sheets (council1, council2): "submitted", "draft" or None.
PROGRESS = [
    (True, True, ("submitted", "submitted")),
    (True, True, ("submitted", "draft")),
    (True, True, ("submitted", None)),
    (True, True, (None, None)),
    (True, False, (None, None)),
    (False, False, (None, None)),
]


def _scores(criteria_set, step):
    """Plausible sheet: the top level of each criterion, one level lower on every
    `step`-th criterion, never below a minimum requirement."""
    scores = {}
    for index, criterion in enumerate(criteria_set.criteria()):
        levels = sorted(criterion.allowed_points)
        pick = levels[-1] if index % step else levels[max(0, len(levels) - 2)]
        needed = criterion.required_points
        if needed is not None and pick < needed:
            pick = needed
        scores[criterion.code] = float(pick)
    return scores


def load():
    load_shipped()
    province = Province.objects.filter(era=Era.CURRENT, code=25).first()
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["council1", "council2", "commune", "province"])
    }
    products = {p.name: p for p in Product.objects.filter(name__in=SIX_PRODUCTS)}
    if province is None or len(users) < 4 or len(products) < len(SIX_PRODUCTS):
        return "skipped (load places, accounts and products demo data first)"
    if Round.objects.filter(title=DEMO_TITLE).exists():
        return "round already loaded"
    today = timezone.localdate()
    opens = today - datetime.timedelta(days=30)
    number = (
        Round.objects.filter(province=province, year=opens.year)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    ) + 1
    round_ = Round.objects.create(
        province=province,
        year=opens.year,
        number=number,
        title=DEMO_TITLE,
        opens_on=opens,
        closes_on=today + datetime.timedelta(days=60),
        opened_by=users["province"],
    )
    council = Council.objects.create(
        round=round_,
        level="province",
        name="Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Phú Thọ",
    )
    chair = CouncilMember.objects.create(council=council, user=users["council1"], is_chair=True)
    member = CouncilMember.objects.create(council=council, user=users["council2"])
    local_level = procedure_on(opens).local_step
    for index, (name, (complete, proposed, sheets)) in enumerate(
        zip(SIX_PRODUCTS, PROGRESS, strict=True)
    ):
        product = products[name]
        criteria_set = CriteriaSet.for_product(product, opens)
        dossier = Dossier.objects.create(
            round=round_,
            product=product,
            kind="new",
            criteria_set=criteria_set,
            self_assessment=_scores(criteria_set, 3 + index),
            registered_by=users["commune"],
            status=DossierStatus.PROPOSED if proposed else DossierStatus.DRAFT,
            council=council if proposed else None,
        )
        kinds = required_documents() if complete else required_documents()[:3]
        for kind in kinds:
            DossierDocument.objects.create(
                dossier=dossier,
                kind=kind,
                file=ContentFile(
                    f"Tài liệu mẫu ({kind}) cho {name}.\n".encode(), name=f"{kind}-mau.txt"
                ),
                uploaded_by=users["commune"],
            )
        if proposed:
            LocalAssessment.objects.create(
                dossier=dossier,
                level=local_level,
                origin_confirmed=True,
                origin_note="Nguyên liệu từ các xã của Lạc Sơn (dữ liệu mẫu).",
                local_workers=8 + index,
                total_workers=10 + index,
                identity_note="Sản phẩm gắn với tri thức bản địa người Mường (dữ liệu mẫu).",
                proposed=True,
                assessed_by=users["commune"],
                assessed_on=opens + datetime.timedelta(days=10),
            )
        for seat, state, step in zip((chair, member), sheets, (4, 5), strict=True):
            if state is None:
                continue
            ScoreSheet.objects.create(
                dossier=dossier,
                member=seat,
                scores=_scores(criteria_set, step + index),
                submitted_at=timezone.now() if state == "submitted" else None,
            )
    return f"round {round_} with {len(SIX_PRODUCTS)} dossiers"
