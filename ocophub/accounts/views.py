from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .models import ApiToken


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    """A link to set a new password, by e-mail to the address on the account. The page
    answers the same whether or not the address is known (nobody learns who has an
    account); the letter is written in the language of the page that asked for it."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """The signed-in user's role and scope, and their API tokens."""
    new_token = None
    if request.method == "POST":
        if "revoke" in request.POST:
            request.user.api_tokens.filter(pk=request.POST["revoke"]).update(revoked=True)
            messages.success(request, _("Token revoked."))
            return redirect("accounts:profile")
        new_token = ApiToken.issue(request.user, name=request.POST.get("name", "")[:100])
    return render(
        request,
        "accounts/profile.html",
        {
            "tokens": request.user.api_tokens.filter(revoked=False).order_by("-created"),
            "new_token": new_token,
            "communes": request.user.communes.select_related("province"),
        },
    )
