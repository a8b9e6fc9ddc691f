"""Lost key: the page `/pengaduan/lupa-kunci/` and `POST /api/v1/complaints/lost-key/`.

Thin: both answer the same whatever matched (complaints.services.lost_key), and 429 with
Retry-After when the client or the reference asked too often."""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints.references import reference_normalise
from complaints.services.lost_key import complaint_access_key_reissue, lost_key_wait_seconds
from complaints.throttling import client_ident

TEMPLATE = "complaints/complaint_lost_key.html"


def _answer() -> str:
    return _(
        "If the reference and the contact match our records, a new key is on its way to the "
        "phone or e-mail on file (it may wait for your safe hours). The old key no longer works "
        "once it is sent."
    )


class LostKeyForm(forms.Form):
    reference = forms.CharField(label=gettext_lazy("Reference"), max_length=32)
    contact = forms.CharField(
        label=gettext_lazy("Last 4 digits of your phone, or your e-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


def _request_key(request, *, reference: str, contact: str) -> int:
    normalised = reference_normalise(reference)
    wait = lost_key_wait_seconds(client=client_ident(request), reference=normalised)
    if not wait:
        complaint_access_key_reissue(reference=normalised, contact_hint=contact)
    return wait


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_lost_key_view(request):
    if request.method == "GET":
        return render(request, TEMPLATE, {"form": LostKeyForm()})
    form = LostKeyForm(request.POST)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form}, status=400)
    wait = _request_key(
        request, reference=form.cleaned_data["reference"], contact=form.cleaned_data["contact"]
    )
    if wait:
        form.add_error(
            None,
            _("Too many requests. Please try again in %(minutes)d minutes.")
            % {"minutes": max(1, wait // 60)},
        )
        response = render(request, TEMPLATE, {"form": form}, status=429)
        response["Retry-After"] = str(wait)
        return response
    return render(request, TEMPLATE, {"form": LostKeyForm(), "sent": _answer()})


class LostKeySerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=32)
    contact = serializers.CharField(
        max_length=254, help_text="The last 4 digits of the phone on file, or the e-mail on file."
    )


class LostKeyApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["complaints (public)"],
        summary="Send a new access key to the contact on file",
        request=LostKeySerializer,
        responses={
            202: OpenApiResponse(description="The same answer whether or not anything matched."),
            400: OpenApiResponse(description="Missing or too long fields."),
            429: OpenApiResponse(description="Too many requests; see Retry-After."),
        },
    )
    def post(self, request):
        data = LostKeySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        wait = _request_key(
            request,
            reference=data.validated_data["reference"],
            contact=data.validated_data["contact"],
        )
        if wait:
            response = Response({"detail": _("Too many requests.")}, status=429)
            response["Retry-After"] = str(wait)
            return response
        return Response({"detail": _answer()}, status=202)
