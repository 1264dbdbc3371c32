from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views


def own_page(route, view, name, then=None):
    """Django's own self-service view with the site's template (accounts/NAME.html) and,
    where it leads on, the namespaced URL of the page it leads to."""
    options = {"template_name": f"accounts/{name}.html"}
    if then:
        options["success_url"] = reverse_lazy(f"accounts:{then}")
    return path(route, view.as_view(**options), name=name)


app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", views.profile, name="profile"),
    # Self-service: Django's own views, with the site's templates and namespaced URLs.
    own_page(
        "password/", auth_views.PasswordChangeView, "password_change", then="password_change_done"
    ),
    own_page("password/changed/", auth_views.PasswordChangeDoneView, "password_change_done"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    own_page("password/reset/sent/", auth_views.PasswordResetDoneView, "password_reset_done"),
    own_page(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView,
        "password_reset_confirm",
        then="password_reset_complete",
    ),
    own_page(
        "password/reset/done/", auth_views.PasswordResetCompleteView, "password_reset_complete"
    ),
]
