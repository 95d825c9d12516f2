"""A test-only URLconf: one page marked sensitive (15-minute idle timeout), one ordinary page, and
the project's own URLs (the login page the timeout sends people to)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from lev.accounts.middleware import sensitive_idle_timeout
from lev.urls import urlpatterns as project_urlpatterns


@sensitive_idle_timeout
def sensitive_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("sensitive")


def ordinary_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ordinary")


urlpatterns = [
    path("test/gevoelig/", sensitive_page),
    path("test/gewoon/", ordinary_page),
    *project_urlpatterns,
]
