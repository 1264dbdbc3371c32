"""The platform's URLs plus /bench/minimal: the smallest Django view, for comparison."""

from django.http import HttpResponse
from django.urls import path

from ocophub.urls import urlpatterns as platform


def minimal(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/minimal", minimal), *platform]
