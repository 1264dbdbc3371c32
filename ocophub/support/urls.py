from django.urls import path

from . import reports, views

app_name = "support"
urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="cases"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/advance/", views.case_advance, name="case_advance"),
    path("cases/<int:pk>/help/", views.case_help, name="case_help"),
    path("cases/<int:pk>/roster/", views.roster, name="roster"),
    path("cases/<int:pk>/roster/<int:member>/leave/", views.member_leave, name="member_leave"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_new, name="person_new"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/export.json", views.person_export, name="person_export"),
    path("people/<int:pk>/erase/", views.person_erase, name="person_erase"),
    path("courses/", views.course_list, name="courses"),
    path("courses/new/", views.course_new, name="course_new"),
    path("courses/<int:pk>/", views.course_detail, name="course"),
    path("courses/<int:pk>/import/", views.attendance_import, name="attendance_import"),
    path("courses/<int:pk>/letters.pdf", views.completion_letters, name="letters"),
    path("sessions/<int:pk>/", views.session_attendance, name="attendance"),
    path("sessions/<int:pk>/qr/", views.session_qr_page, name="session_qr"),
    path("sessions/<int:pk>/qr.svg", views.session_qr, name="session_qr_svg"),
    path("check-in/<str:token>/", views.check_in, name="check_in"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("duplicates/<int:pk>/<str:action>/", views.duplicate_decide, name="duplicate_decide"),
    path("programmes/", views.programme_list, name="programmes"),
    path("programmes/new/", views.programme_new, name="programme_new"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme"),
    path("reports/", reports.report, name="report"),
    path("reports/export.<str:fmt>", reports.export, name="report_export"),
]
