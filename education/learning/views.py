"""Staff learning pages: signed-in staff only; thin, writes through education.learning.services."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from education.learning import selectors, services
from portal.access import staff_page


@staff_page
@never_cache
@require_GET
def staff_guide_list(request: HttpRequest) -> HttpResponse:
    guides = selectors.staff_guide_list_for_staff(user=request.user)
    return render(
        request,
        "education/staffguide_list.html",
        {
            "guides": guides,
            "studied": selectors.study_guide_ids_for_user(user=request.user),
            "can_see_progress": selectors.user_can_see_progress(user=request.user),
        },
    )


@staff_page
@never_cache
@require_GET
def staff_guide_detail(request: HttpRequest, slug: str) -> HttpResponse:
    guide = selectors.staff_guide_get_for_staff(user=request.user, slug=slug)
    if guide is None:
        raise Http404
    return render(
        request,
        "education/staffguide_detail.html",
        {
            "guide": guide,
            "studied": guide.pk in selectors.study_guide_ids_for_user(user=request.user),
        },
    )


@staff_page
@require_POST
def staff_guide_mark(request: HttpRequest, slug: str) -> HttpResponse:
    guide = selectors.staff_guide_get_for_staff(user=request.user, slug=slug)
    if guide is None:
        raise Http404
    if request.POST.get("studied") == "0":
        services.study_record_unmark(user=request.user, guide=guide)
        messages.info(request, _("The guide is no longer marked as studied."))
    else:
        services.study_record_mark(user=request.user, guide=guide)
        messages.success(request, _("The guide is marked as studied."))
    return redirect(guide)


@staff_page
@never_cache
@require_GET
def staff_guide_progress(request: HttpRequest) -> HttpResponse:
    if not selectors.user_can_see_progress(user=request.user):
        raise Http404
    return render(
        request,
        "education/staffguide_progress.html",
        selectors.study_progress_for_head(user=request.user),
    )
