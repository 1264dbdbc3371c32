from django.utils.translation import gettext as _

from .models import Role


def items(request):
    # The API docs are for developers and the office that connects other systems;
    # everyone else finds their tokens on their profile page.
    user = request.user
    if user.is_authenticated and not (user.is_superuser or user.role == Role.PROVINCE_OFFICE):
        return []
    return [{"url": "/api/v1/docs", "label": _("API"), "order": 95}]
