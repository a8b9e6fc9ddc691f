"""Admin of the education app: editing and the publishing workflow, all through services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from simple_history.admin import SimpleHistoryAdmin

from education import selectors, services
from education.choices import ContentStatus
from education.images import guide_image_add, guide_image_check, guide_image_delete
from education.models import (
    Article,
    ArticleViewDay,
    Checklist,
    ChecklistItem,
    FaqEntry,
    GuideImage,
    SearchMiss,
    Topic,
)
from portal.exceptions import ApplicationError

# Labels of the workflow buttons: (from, to) → what the reviewer or editor does.
TRANSITION_LABELS = {
    (ContentStatus.DRAFT, ContentStatus.REVIEW): _("Submit for review"),
    (ContentStatus.REVIEW, ContentStatus.DRAFT): _("Send back to draft"),
    (ContentStatus.REVIEW, ContentStatus.PUBLISHED): _("Publish"),
    (ContentStatus.PUBLISHED, ContentStatus.ARCHIVED): _("Archive"),
    (ContentStatus.PUBLISHED, ContentStatus.DRAFT): _("Withdraw to draft for revision"),
    (ContentStatus.ARCHIVED, ContentStatus.DRAFT): _("Reopen as draft"),
}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name_id", "name_en", "slug", "position")
    search_fields = ("name_id", "name_en", "slug")
    prepopulated_fields = {"slug": ("name_en",)}


class WorkflowAdminMixin:
    """Status is read-only in forms; it moves only through the workflow page (services)."""

    workflow_readonly = ("workflow", "author", "reviewed_by", "published_at", "last_checked_on")
    save_service = None  # (actor, instance, fields) → (instance, removed)
    service_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *self.workflow_readonly)

    def has_change_permission(self, request, obj=None) -> bool:
        # Published and archived content is withdrawn to draft before anyone edits it.
        if obj is not None and obj.status not in services.EDITABLE_STATUSES:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Published content is archived (410 with a replacement), never deleted.
        if obj is not None and obj.status != ContentStatus.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("workflow"))
    def workflow(self, obj) -> str:
        if obj is None or obj.pk is None:
            return _("Saved as a draft first.")
        opts = obj._meta
        return format_html(
            '{} · <a href="{}">{}</a> · <a href="{}">{}</a>',
            obj.get_status_display(),
            reverse(f"admin:{opts.app_label}_{opts.model_name}_workflow", args=[obj.pk]),
            _("Change status"),
            reverse(f"admin:{opts.app_label}_{opts.model_name}_preview", args=[obj.pk]),
            _("Preview"),
        )

    def save_model(self, request, obj, form, change) -> None:
        fields = {
            name: form.cleaned_data[name]
            for name in self.service_fields
            if name in form.cleaned_data
        }
        try:
            result = self.call_save_service(actor=request.user, instance=obj, fields=fields)
        except (ApplicationError, ValidationError) as error:
            # The form validated already; this is a race (someone published meanwhile).
            raise PermissionDenied(str(error)) from error
        removed = result[1] if isinstance(result, tuple) else []
        if removed:
            messages.warning(
                request,
                _("Removed from the text because it is not allowed on public pages: %(items)s")
                % {"items": ", ".join(removed)},
            )

    def call_save_service(self, *, actor, instance, fields):
        raise NotImplementedError

    def get_urls(self):
        opts = self.model._meta
        prefix = f"{opts.app_label}_{opts.model_name}"
        return [
            path(
                "<path:object_id>/workflow/",
                self.admin_site.admin_view(self.workflow_view),
                name=f"{prefix}_workflow",
            ),
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name=f"{prefix}_preview",
            ),
            *super().get_urls(),
        ]

    def _get_visible(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_permission(request, obj):
            raise Http404
        return obj

    def workflow_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        obj = self._get_visible(request, object_id)
        opts = obj._meta
        change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        if request.method == "POST":
            to_status = request.POST.get("to_status", "")
            replaced_by = None
            if isinstance(obj, Article) and request.POST.get("replaced_by"):
                replaced_by = Article.objects.filter(pk=request.POST["replaced_by"]).first()
            try:
                if to_status == "checked":
                    services.content_mark_checked(content=obj, actor=request.user)
                elif to_status in ContentStatus.values:
                    services.content_transition(
                        content=obj,
                        to_status=to_status,
                        actor=request.user,
                        replaced_by=replaced_by,
                    )
                else:
                    raise ApplicationError(_("Choose a status."))
            except ApplicationError as error:
                messages.error(request, error.message)
                return HttpResponseRedirect(request.path)
            messages.success(request, _("Status saved."))
            return HttpResponseRedirect(change_url)
        transitions = [
            (to, TRANSITION_LABELS[(source, to)])
            for (source, to) in services.TRANSITIONS
            if source == obj.status
        ]
        replacements = []
        if isinstance(obj, Article) and obj.status == ContentStatus.PUBLISHED:
            replacements = Article.objects.filter(
                status=ContentStatus.PUBLISHED, language=obj.language
            ).exclude(pk=obj.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "original": obj,
            "title": _("Workflow: %(name)s") % {"name": obj},
            "transitions": transitions,
            "replacements": replacements,
            "can_mark_checked": obj.status == ContentStatus.PUBLISHED,
            "change_url": change_url,
            "history": obj.history.select_related("history_user")[:20],
        }
        return TemplateResponse(request, "admin/education/workflow.html", context)

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        raise NotImplementedError


@admin.register(Article)
class ArticleAdmin(WorkflowAdminMixin, SimpleHistoryAdmin):
    list_display = ("title", "language", "status", "stage", "country", "topic", "last_checked_on")
    list_filter = ("status", "language", "stage", "topic")
    search_fields = ("title", "slug")
    list_select_related = ("topic",)
    autocomplete_fields = ("translation_of",)
    prepopulated_fields = {"slug": ("title",)}
    show_full_result_count = False
    change_list_template = "admin/education/article/change_list.html"
    service_fields = services.ARTICLE_FIELDS
    fields = (
        "workflow", "title", "slug", "language", "translation_of", "topic", "stage", "country",
        "summary", "body_markdown", "sources", "related_category_slugs", "replaced_by", "author",
        "reviewed_by", "published_at", "last_checked_on",
    )  # fmt: skip
    readonly_fields = ("replaced_by",)

    def call_save_service(self, *, actor, instance, fields):
        return services.article_save(actor=actor, article=instance, **fields)

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        article = self._get_visible(request, object_id)
        # The preview renders what the service would store, in the guide's own language.
        rendered = services.render_markdown(article.body_markdown)
        with override(article.language):
            return render(
                request,
                "education/article_detail.html",
                {
                    "article": article,
                    "body_html": rendered.html,
                    "headings": rendered.headings,
                    "related": [],
                    "translation": None,
                    "is_preview": True,
                },
            )

    def get_urls(self):
        return [
            path(
                "statistics/",
                self.admin_site.admin_view(self.statistics_view),
                name="education_article_statistics",
            ),
            *super().get_urls(),
        ]

    def statistics_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("education.view_articleviewday"):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Reader statistics (last 30 days)"),
            "most_read": selectors.article_list_most_read(days=30),
            "misses": selectors.search_miss_top(days=30),
        }
        return TemplateResponse(request, "admin/education/statistics.html", context)


@admin.register(FaqEntry)
class FaqEntryAdmin(WorkflowAdminMixin, SimpleHistoryAdmin):
    list_display = ("question", "language", "status", "topic", "position")
    list_filter = ("status", "language", "topic")
    search_fields = ("question",)
    autocomplete_fields = ("translation_of",)
    service_fields = services.FAQ_FIELDS
    fields = (
        "workflow", "question", "language", "translation_of", "topic", "country", "position",
        "answer_markdown", "author", "reviewed_by", "published_at", "last_checked_on",
    )  # fmt: skip

    def call_save_service(self, *, actor, instance, fields):
        return services.faq_save(actor=actor, entry=instance, **fields)

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        entry = self._get_visible(request, object_id)
        entry.answer_html = services.render_markdown(entry.answer_markdown).html
        with override(entry.language):
            return render(
                request, "education/faq_list.html", {"entries": [entry], "is_preview": True}
            )


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 1
    fields = ("position", "key", "text", "hint")


@admin.register(Checklist)
class ChecklistAdmin(WorkflowAdminMixin, SimpleHistoryAdmin):
    list_display = ("title", "language", "status", "stage")
    list_filter = ("status", "language", "stage")
    search_fields = ("title", "slug")
    autocomplete_fields = ("translation_of",)
    prepopulated_fields = {"slug": ("title",)}
    inlines = (ChecklistItemInline,)
    service_fields = services.CHECKLIST_FIELDS
    fields = (
        "workflow", "title", "slug", "language", "translation_of", "topic", "stage", "intro",
        "author", "reviewed_by", "published_at", "last_checked_on",
    )  # fmt: skip

    def call_save_service(self, *, actor, instance, fields):
        return services.checklist_save(actor=actor, checklist=instance, **fields)

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        checklist = self._get_visible(request, object_id)
        with override(checklist.language):
            return render(
                request,
                "education/checklist_detail.html",
                {"checklist": checklist, "items": checklist.items.all(), "is_preview": True},
            )


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Counters written by services only."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class GuideImageForm(forms.ModelForm):
    upload = forms.ImageField(
        label=_("image file"), help_text=_("JPEG, PNG or WebP; stored in phone sizes as WebP.")
    )

    class Meta:
        model = GuideImage
        fields = ("slug", "alt_text")

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        upload.seek(0)
        guide_image_check(upload.read())
        upload.seek(0)
        return upload


@admin.register(GuideImage)
class GuideImageAdmin(admin.ModelAdmin):
    list_display = ("slug", "alt_text", "markdown", "widths", "created_at")
    search_fields = ("slug", "alt_text")
    readonly_fields = ("markdown", "widths", "uploaded_by", "created_at")

    def get_form(self, request, obj=None, **kwargs):
        # Replacing the file of an existing image would change published guides silently:
        # upload a new image under a new name instead.
        if obj is None:
            kwargs["form"] = GuideImageForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("slug", "alt_text", "upload")
        return ("slug", "alt_text", "markdown", "widths", "uploaded_by", "created_at")

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    @admin.display(description=_("Markdown to embed"))
    def markdown(self, image: GuideImage) -> str:
        return f"![{image.alt_text}](gambar:{image.slug})"

    def save_model(self, request, obj, form, change) -> None:
        try:
            saved = guide_image_add(
                actor=request.user,
                slug=form.cleaned_data["slug"],
                alt_text=form.cleaned_data["alt_text"],
                data=form.cleaned_data["upload"].read(),
            )
        except ValidationError as error:
            raise PermissionDenied("; ".join(error.messages)) from error
        obj.pk = saved.pk

    def delete_model(self, request, obj) -> None:
        guide_image_delete(image=obj)

    def delete_queryset(self, request, queryset) -> None:
        for image in queryset:
            guide_image_delete(image=image)


@admin.register(ArticleViewDay)
class ArticleViewDayAdmin(_ReadOnlyAdmin):
    list_display = ("day", "article", "views")
    list_select_related = ("article",)
    date_hierarchy = "day"
    ordering = ("-day", "-views")
    show_full_result_count = False


@admin.register(SearchMiss)
class SearchMissAdmin(_ReadOnlyAdmin):
    list_display = ("day", "term", "language", "count")
    list_filter = ("language",)
    date_hierarchy = "day"
    ordering = ("-day", "-count")
    search_fields = ("term",)
    show_full_result_count = False


# --- Outreach events and staff guides ------------------------------------------------------------
from django import forms  # noqa: E402

from education.learning.services import (  # noqa: E402
    staff_guide_publish,
    staff_guide_save,
    staff_guide_unpublish,
)
from education.models import OutreachEvent, OutreachPhoto, StaffGuide  # noqa: E402
from education.outreach.selectors import outreach_event_list_for_staff  # noqa: E402
from education.outreach.services import (  # noqa: E402
    outreach_event_save,
    outreach_photo_add,
    outreach_photo_check,
    outreach_photo_delete,
)
from portal.selectors import office_list_visible_to  # noqa: E402


class OutreachPhotoForm(forms.ModelForm):
    class Meta:
        model = OutreachPhoto
        fields = ("image", "caption")

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and not self.instance.pk:
            try:
                outreach_photo_check(image)
            except ValidationError as error:
                raise ValidationError(error.message_dict["image"]) from error
        return image


class OutreachPhotoInline(admin.TabularInline):
    """New photos and deletions go through education.outreach.services (save_formset)."""

    model = OutreachPhoto
    form = OutreachPhotoForm
    extra = 1
    fields = ("preview", "image", "caption")
    readonly_fields = ("preview",)

    def has_change_permission(self, request, obj=None) -> bool:
        return False if obj is None else super().has_change_permission(request, obj)

    @admin.display(description=_("photo"))
    def preview(self, photo: OutreachPhoto) -> str:
        if not photo.pk:
            return ""
        url = reverse("outreach:photo", args=[photo.pk])
        return format_html('<a href="{}">{}</a>', url, photo.caption or _("Open the photo"))


@admin.register(OutreachEvent)
class OutreachEventAdmin(admin.ModelAdmin):
    """Scoped to the staff member's offices: others' events do not exist here (404)."""

    list_display = ("title", "starts_at", "office", "region", "format", "audience_total")
    list_filter = ("format", "is_public")
    list_select_related = ("office", "region")
    search_fields = ("title", "partners", "region__name")
    date_hierarchy = "starts_at"
    show_full_result_count = False
    # 91,000 regions: staff type the Kemendagri code (a dropdown could not hold them).
    raw_id_fields = ("region", "village")
    filter_horizontal = ("topics",)
    fields = (
        "office",
        "title",
        ("starts_at", "ends_at"),
        "region",
        "venue",
        "village",
        "format",
        "partners",
        "description",
        "title_en",
        "description_en",
        ("audience_women", "audience_men"),
        "topics",
        "follow_up",
        "is_public",
    )

    def get_queryset(self, request: HttpRequest):
        return outreach_event_list_for_staff(user=request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "office":
            kwargs["queryset"] = office_list_visible_to(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("audience"))
    def audience_total(self, event: OutreachEvent) -> int:
        return event.audience_total

    inlines = [OutreachPhotoInline]

    def save_model(self, request, obj, form, change) -> None:
        # Topics are set by save_related (the admin's m2m step) after this.
        try:
            outreach_event_save(actor=request.user, event=obj)
        except ApplicationError as error:
            raise PermissionDenied(error.message) from error

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is not OutreachPhoto:
            return super().save_formset(request, form, formset, change)
        # The admin's change message reads these lists (normally set by formset.save()).
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        try:
            for photo_form in formset.forms:
                if photo_form in formset.deleted_forms:
                    if photo_form.instance.pk:
                        outreach_photo_delete(actor=request.user, photo=photo_form.instance)
                        formset.deleted_objects.append(photo_form.instance)
                elif photo_form.instance.pk is None and photo_form.cleaned_data.get("image"):
                    photo = outreach_photo_add(
                        actor=request.user,
                        event=form.instance,
                        uploaded=photo_form.cleaned_data["image"],
                        caption=photo_form.cleaned_data.get("caption", ""),
                    )
                    formset.new_objects.append(photo)
        except ApplicationError as error:
            raise PermissionDenied(error.message) from error
        return None


@admin.register(StaffGuide)
class StaffGuideAdmin(admin.ModelAdmin):
    """Editing the text unpublishes a guide; another person publishes it (four eyes)."""

    list_display = ("title", "position", "is_published", "author", "reviewed_by", "updated_at")
    list_editable = ("position",)
    list_select_related = ("author", "reviewed_by")
    prepopulated_fields = {"slug": ("title",)}
    search_fields = ("title", "summary")
    readonly_fields = ("is_published", "author", "reviewed_by", "published_at")
    actions = ("publish", "unpublish")

    def save_model(self, request, obj, form, change) -> None:
        staff_guide_save(guide=obj, actor=request.user)

    @admin.action(description=_("Publish the selected staff guides"), permissions=["change"])
    def publish(self, request, queryset) -> None:
        self._each(request, queryset, staff_guide_publish)

    @admin.action(description=_("Unpublish the selected staff guides"), permissions=["change"])
    def unpublish(self, request, queryset) -> None:
        self._each(request, queryset, staff_guide_unpublish)

    def _each(self, request, queryset, service) -> None:
        done = 0
        for guide in queryset:
            try:
                service(guide=guide, actor=request.user)
            except ApplicationError as error:
                self.message_user(request, f"{guide}: {error.message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, _("%(count)d staff guide(s) changed.") % {"count": done})
