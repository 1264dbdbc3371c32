from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ocophub.core.listing import paginated

from .forms import PreferencesForm
from .models import Notice, preferences


@login_required
def inbox(request):
    notices = Notice.objects.for_user(request.user)
    unread_only = request.GET.get("show") == "unread"
    if unread_only:
        notices = notices.unread()
    page, query = paginated(request, notices)
    return render(
        request,
        "notices/inbox.html",
        {
            "page": page,
            "query": query,
            "unread_only": unread_only,
            "has_email": bool(request.user.email),
        },
    )


@login_required
def open_notice(request, pk):
    """Follow a notice to its page, marking it read on the way."""
    notice = get_object_or_404(Notice.objects.for_user(request.user), pk=pk)
    if notice.read_at is None:
        Notice.objects.filter(pk=notice.pk).update(read_at=timezone.now())
    if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts=None):
        return redirect(notice.url)
    return redirect("notices:inbox")


@login_required
@require_POST
def mark_read(request, pk):
    notice = get_object_or_404(Notice.objects.for_user(request.user), pk=pk)
    notice.read_at = None if request.POST.get("unread") else timezone.now()
    notice.save(update_fields=["read_at"])
    return redirect("notices:inbox")


@login_required
@require_POST
def mark_all_read(request):
    n = Notice.objects.for_user(request.user).unread().update(read_at=timezone.now())
    if n:
        messages.success(request, _("All notices are marked read."))
    return redirect("notices:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def notice_settings(request):
    prefs = preferences(request.user)
    form = PreferencesForm(request.POST or None, preferences=prefs)
    if request.method == "POST" and form.is_valid():
        form.save(prefs)
        messages.success(request, _("Your notice settings are saved."))
        return redirect("notices:settings")
    return render(
        request,
        "notices/settings.html",
        {"form": form, "has_email": bool(request.user.email)},
    )
