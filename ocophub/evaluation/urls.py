from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/dossiers/new/", views.dossier_create, name="dossier_create"),
    path("rounds/<int:pk>/councils/new/", views.council_create, name="council_create"),
    path("rounds/<int:pk>/results.xlsx", views.round_results, name="round_results"),
    path("dossiers/<int:pk>/", views.dossier_detail, name="dossier"),
    path("dossiers/<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("dossiers/<int:pk>/self-assessment/", views.self_assessment, name="self_assessment"),
    path("dossiers/<int:pk>/local-step/", views.local_step, name="local_step"),
    path("dossiers/<int:pk>/score/", views.score_sheet, name="score"),
    path("dossiers/<int:pk>/preview/", views.score_preview, name="preview"),
    path("dossiers/<int:pk>/forward/", views.dossier_forward, name="forward"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("sheets/<int:pk>/", views.sheet_detail, name="sheet"),
    path("councils/<int:pk>/", views.council_detail, name="council"),
    path("councils/<int:pk>/close/", views.council_close, name="council_close"),
    path("councils/<int:pk>/decide/", views.decision_create, name="decide"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("criteria/", views.criteria_list, name="criteria"),
    path("criteria/import/", views.criteria_import, name="criteria_import"),
    path("criteria/<slug:code>/", views.criteria_detail, name="criteria_detail"),
    path("criteria/<slug:code>.xlsx", views.criteria_xlsx, name="criteria_xlsx"),
]
