from ocophub.accounts import demo as accounts_demo
from ocophub.evaluation import demo
from ocophub.evaluation.classify import check_scores
from ocophub.evaluation.models import Dossier, Round, ScoreSheet
from ocophub.producers import demo as producers_demo
from ocophub.products import demo as products_demo


def test_demo_round_is_idempotent_and_partly_scored(reference_data):
    accounts_demo.load()
    producers_demo.load()
    products_demo.load()
    demo.load()
    demo.load()
    round_ = Round.objects.get(title=demo.DEMO_TITLE)
    assert Round.objects.count() == 1
    dossiers = Dossier.objects.filter(round=round_)
    assert sorted(d.product.name for d in dossiers) == sorted(demo.SIX_PRODUCTS)
    council = round_.councils.get()
    assert council.chair.username == "council1"
    assert sorted(council.members.values_list("user__username", flat=True)) == [
        "council1",
        "council2",
    ]
    submitted = ScoreSheet.objects.filter(submitted_at__isnull=False).count()
    assert 0 < submitted < 2 * council.dossiers.count()
    assert any(not d.is_complete for d in dossiers) and any(d.is_complete for d in dossiers)
    # Every demo sheet and self-assessment uses only allowed levels.

    for d in dossiers:
        criteria = d.criteria_set.criteria_by_code()
        check_scores(criteria, d.self_assessment)
        for sheet in d.score_sheets.all():
            check_scores(criteria, sheet.scores)
