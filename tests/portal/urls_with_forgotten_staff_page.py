"""The portal's URLconf plus a staff page whose author forgot every access check: the generated
second-factor test must find it and the middleware must refuse it."""

from django.http import HttpResponse
from django.urls import path

from portal.urls import handler404, handler500  # noqa: F401
from portal.urls import urlpatterns as portal_urlpatterns


def forgotten_staff_page(request):
    return HttpResponse("figures of every office")


urlpatterns = [
    path("staf/halaman-baru/", forgotten_staff_page, name="forgotten-staff-page"),
    *portal_urlpatterns,
]
