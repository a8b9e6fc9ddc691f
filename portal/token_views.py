"""The staff member's own API tokens: create (the key shown once), list, revoke.

Under /staf/: portal.middleware.StaffSecondFactorMiddleware lets only active staff past the
second factor in, and portal.api_tokens.staff_token_issue checks it again.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from portal.api_tokens import staff_token_issue, staff_token_list_for_user, staff_token_revoke
from portal.choices import TokenScope
from portal.exceptions import ApplicationError


class StaffTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("What is it for?"),
        max_length=100,
        help_text=gettext_lazy("For example: the office's reporting script."),
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("Scope"), choices=TokenScope.choices, initial=TokenScope.READ
    )


@never_cache
@require_http_methods(["GET", "POST"])
def staff_token_list(request: HttpRequest) -> HttpResponse:
    form = StaffTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = staff_token_issue(
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            form = StaffTokenForm()
    return render(
        request,
        "portal/staff_tokens.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": staff_token_list_for_user(user=request.user),
            "days": settings.STAFF_API_TOKEN_DAYS,
            "now": timezone.now(),
        },
    )


@never_cache
@require_POST
def staff_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = staff_token_list_for_user(user=request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    try:
        staff_token_revoke(token=token, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The token was revoked."))
    return redirect("staff_tokens:list")
