from django.contrib import admin

from . import models

for model in (
    models.Person,
    models.SupportCase,
    models.Help,
    models.Membership,
    models.MinimumMembers,
    models.Course,
    models.Session,
    models.Attendance,
    models.DuplicateProposal,
    models.Programme,
    models.Target,
    models.ReportedFigure,
):
    admin.site.register(model)
