from django.urls import reverse
from django.utils.translation import gettext as _

from ocophub.accounts.models import Role

# Roles with a part in evaluation: the office runs rounds, communes check dossiers,
# councils score them, producers prepare them.
EVALUATION_ROLES = (Role.PROVINCE_OFFICE, Role.COMMUNE_OFFICER, Role.COUNCIL_MEMBER, Role.PRODUCER)


def items(request):
    user = request.user
    if not user.is_authenticated:
        return [{"url": reverse("evaluation:criteria"), "label": _("OCOP criteria"), "order": 30}]
    if user.is_superuser or user.role in EVALUATION_ROLES:
        return [{"url": reverse("evaluation:rounds"), "label": _("Evaluation"), "order": 30}]
    return []
