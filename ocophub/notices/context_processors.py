"""The inbox badge in every page's header: how many notices the person has not read."""

from django.utils.functional import cached_property

from .models import Notice


class Inbox:
    """Counted only when a template asks (the header does, JSON views never do)."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def unread(self):
        return Notice.objects.for_user(self.user).unread().count()


def inbox(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox": Inbox(user)}
