"""Staff screens for Desa Migran Emas, scoped to the provinces of the user's offices.

Every queryset comes from desa_migran.selectors (out-of-scope rows do not exist for the user) and
every write goes through desa_migran.services.
"""

from __future__ import annotations

import copy

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, QueryDict
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from desa_migran import selectors, services
from desa_migran.choices import Criterion, CriterionScore
from desa_migran.importing import IMPORT_FORMATS, VillageIndicatorResource
from desa_migran.models import (
    INDICATOR_FIGURES,
    TaskForceMember,
    Village,
    VillageActivity,
    VillageAssessment,
    VillageAssessmentItem,
    VillageIndicator,
    VillagePartner,
    VillagePhoto,
    VillageProgramme,
    VillageStatusChange,
)
from portal.exceptions import ApplicationError
from portal.models import Region
from portal.region_picker import STEP_FIELD, RegionPicker


class NotFoundOutsideScope:
    """An object outside the user's scope answers 404, like one that does not exist at all."""

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404

    # simple-history falls back to the history rows when the object is not in the queryset,
    # which would show an out-of-scope village's past versions: check the scope first.
    def history_view(self, request, object_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)


class ProvinceInScopeFilter(admin.SimpleListFilter):
    title = _("province")
    parameter_name = "province"

    def lookups(self, request, model_admin):
        codes = selectors.village_list_for_staff(user=request.user).values("province_id")
        return [
            (region.code, region.name)
            for region in Region.objects.filter(level=1, code__in=codes).order_by("name")
        ]

    def queryset(self, request, queryset):
        if self.value():
            field = "province_id" if queryset.model is Village else "village__province_id"
            return queryset.filter(**{field: self.value()})
        return queryset


class VillageProgrammeInline(admin.StackedInline):
    model = VillageProgramme
    extra = 0
    fields = (
        "kind",
        "name",
        "description",
        "opening_hours",
        "services",
        "reference",
        "started_on",
        "is_active",
    )


class TaskForceMemberInline(admin.TabularInline):
    model = TaskForceMember
    extra = 0
    verbose_name_plural = _("task force members (internal, never published)")


class VillagePartnerInline(admin.TabularInline):
    model = VillagePartner
    extra = 0


class VillagePhotoInline(admin.TabularInline):
    model = VillagePhoto
    extra = 0
    fields = ("preview", "caption", "width", "height", "created_at")
    readonly_fields = ("preview", "width", "height", "created_at")

    def has_add_permission(self, request, obj=None) -> bool:
        # New photos come through the village form's upload field, which re-encodes them.
        return False

    @admin.display(description=_("photo"))
    def preview(self, photo: VillagePhoto) -> str:
        from django.urls import reverse

        return format_html(
            '<a href="{}">{}</a>', reverse("desa_migran:photo", args=[photo.pk]), photo.caption
        )


class VillageStatusChangeInline(admin.TabularInline):
    model = VillageStatusChange
    extra = 0
    can_delete = False
    fields = ("created_at", "from_status", "to_status", "actor", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for withdrawal"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


# The village is chosen by name (portal.region_picker): province, regency or city and district
# narrow the village select; the model's own field is the last step.
VILLAGE_PICKER = RegionPicker(
    province="province_choice",
    regency="regency_choice",
    district="district_choice",
    village="region",
)


class VillageAdminForm(forms.ModelForm):
    province_choice = forms.ChoiceField(
        label=_("province"),
        required=False,
        error_messages={"invalid_choice": _("Please choose a province from the list.")},
    )
    regency_choice = forms.ChoiceField(
        label=_("regency or city"),
        required=False,
        error_messages={
            "invalid_choice": _("Please choose a regency or city from the Kemendagri list.")
        },
    )
    district_choice = forms.ChoiceField(
        label=_("District (kecamatan)"),
        required=False,
        error_messages={
            "invalid_choice": _("Please choose a district of the regency or city you chose.")
        },
    )
    region = forms.ModelChoiceField(
        label=_("Village (desa/kelurahan)"),
        queryset=Region.objects.none(),
        error_messages={
            "required": _("Choose a village (desa/kelurahan)"),
            "invalid_choice": _("Please choose a village of the district you chose."),
        },
    )
    new_photo = forms.ImageField(
        label=_("add a photo"),
        required=False,
        help_text=_("JPEG, PNG or WebP; it is re-encoded without location or camera data."),
    )
    new_photo_caption = forms.CharField(label=_("caption of the new photo"), required=False)

    class Meta:
        model = Village
        fields = (
            "region",
            "profile",
            "profile_en",
            "population",
            "latitude",
            "longitude",
            "contact_name",
            "contact_phone",
            "contact_email",
        )

    class Media:
        js = ("portal/js/region_picker.js",)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "region" not in self.fields:
            # A village's region is fixed once created (read-only on the change page).
            for name in VILLAGE_PICKER.fields[:-1]:
                self.fields.pop(name, None)
            return
        VILLAGE_PICKER.admin_widget(self)
        VILLAGE_PICKER.fill(self)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_photo") and not cleaned.get("new_photo_caption", "").strip():
            self.add_error("new_photo_caption", _("Describe the photo in a caption."))
        return cleaned


@admin.register(Village)
class VillageAdmin(NotFoundOutsideScope, SimpleHistoryAdmin):
    form = VillageAdminForm
    list_display = ("__str__", "region_id", "regency", "province", "status", "designated_on")
    list_filter = ("status", ProvinceInScopeFilter)
    search_fields = ("region__name", "region__code")
    list_select_related = ("region", "province", "regency")
    show_full_result_count = False
    readonly_fields = (
        "status",
        "status_changed_at",
        "designation_proposed_by",
        "designation_proposed_at",
        "designation_confirmed_by",
        "designated_on",
        "withdrawn_on",
        "withdrawal_reason",
    )
    fieldsets = (
        (
            None,
            {"fields": ("region", "profile", "profile_en", "population", "latitude", "longitude")},
        ),
        (
            _("Task force public contact"),
            {"fields": ("contact_name", "contact_phone", "contact_email")},
        ),
        (_("Photo"), {"fields": ("new_photo", "new_photo_caption")}),
        (
            _("Status and designation"),
            {
                "fields": (
                    "status",
                    "status_changed_at",
                    "designation_proposed_by",
                    "designation_proposed_at",
                    "designation_confirmed_by",
                    "designated_on",
                    "withdrawn_on",
                    "withdrawal_reason",
                )
            },
        ),
    )
    inlines = (
        VillageProgrammeInline,
        TaskForceMemberInline,
        VillagePartnerInline,
        VillagePhotoInline,
        VillageStatusChangeInline,
    )
    actions = ("designate", "confirm_designation", "withdraw")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Village]:
        return selectors.village_list_for_staff(user=request.user)

    def get_fieldsets(self, request, obj=None):
        if obj is not None:
            return self.fieldsets
        (title, options), *rest = self.fieldsets
        picker = (*VILLAGE_PICKER.fields[:-1], *options["fields"])
        return ((title, {**options, "fields": picker}), *rest)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is None and request.method == "POST" and STEP_FIELD in request.POST:
            # The no-script step of the village picker: the add page again with the next list
            # filled and what was typed kept; nothing is saved and no error is shown.
            step = copy.copy(request)
            step.method = "GET"
            step.GET = QueryDict(mutable=True)
            names = [name for name in VillageAdminForm.base_fields if name != "new_photo"]
            step.GET.update(VILLAGE_PICKER.step_initial(request.POST, names=names))
            request = step
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ("region", *self.readonly_fields)
        return self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        user = request.user

        class ScopedForm(form):
            def clean(self):
                cleaned = super().clean()
                region = cleaned.get("region")
                if region is not None and not selectors.region_in_scope(
                    user=user, region_code=region.code
                ):
                    self.add_error("region", _("This village is outside your office's provinces."))
                return cleaned

        return ScopedForm

    def save_model(self, request, obj: Village, form, change: bool) -> None:
        data = {
            field: form.cleaned_data[field]
            for field in services.VILLAGE_EDITABLE_FIELDS
            if field in form.cleaned_data
        }
        if change:
            village = services.village_update(
                village=Village.objects.get(pk=obj.pk), actor=request.user, data=data
            )
        else:
            village = services.village_create(
                region_code=form.cleaned_data["region"].code, actor=request.user, **data
            )
        obj.pk = village.pk
        obj.refresh_from_db()
        upload = form.cleaned_data.get("new_photo")
        if upload:
            try:
                services.village_photo_add(
                    village=village,
                    upload=upload,
                    caption=form.cleaned_data["new_photo_caption"],
                    actor=request.user,
                )
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)

    def save_formset(self, request, form, formset, change):
        # Inline rows (programmes, members, partners) belong to a village already in scope.
        formset.save()

    @admin.action(description=_("Propose as Desa Migran Emas (BP3MI head)"))
    def designate(self, request, queryset):
        self._run(
            request, queryset, lambda v: services.village_designate(village=v, actor=request.user)
        )

    @admin.action(description=_("Confirm the designation (ministry)"))
    def confirm_designation(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda v: services.village_designation_confirm(village=v, actor=request.user),
        )

    @admin.action(description=_("Withdraw from the programme (BP3MI head or ministry)"))
    def withdraw(self, request, queryset):
        # An intermediate page asks for the reason, which is recorded with the status change.
        form = WithdrawForm(request.POST if "confirm" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            self._run(
                request,
                queryset,
                lambda v: services.village_withdraw(village=v, actor=request.user, reason=reason),
            )
            return None
        return TemplateResponse(
            request,
            "desa_migran/admin_village_withdraw.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Withdraw villages from the programme"),
                "villages": queryset,
                "form": form,
                "opts": self.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def _run(self, request, queryset, call) -> None:
        done = 0
        for village in queryset:
            try:
                call(village)
            except (ApplicationError, ValidationError) as error:
                text = (
                    error.message
                    if isinstance(error, ApplicationError)
                    else "; ".join(error.messages)
                )
                self.message_user(request, f"{village}: {text}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d village updated.", "%(count)d villages updated.", done)
                % {"count": done},
                messages.SUCCESS,
            )


class ScopedVillageMixin:
    """Village choices limited to the user's scope: an out-of-scope village is an invalid choice."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "village":
            kwargs["queryset"] = selectors.village_list_for_staff(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class VillageIndicatorForm(forms.ModelForm):
    class Meta:
        model = VillageIndicator
        fields = (
            "village",
            "year",
            "period",
            *INDICATOR_FIGURES,
        )


@admin.register(VillageIndicator)
class VillageIndicatorAdmin(
    NotFoundOutsideScope, ScopedVillageMixin, ImportExportMixin, SimpleHistoryAdmin
):
    form = VillageIndicatorForm
    resource_classes = [VillageIndicatorResource]
    formats = IMPORT_FORMATS
    list_display = ("village", "year", "period", "workers_abroad", "returnees", "updated_at")
    list_filter = ("year", "period", ProvinceInScopeFilter)
    search_fields = ("village__region__name", "village__region__code")
    list_select_related = ("village__region",)
    show_full_result_count = False
    readonly_fields = ("entered_by", "updated_at")

    def get_queryset(self, request):
        return selectors.indicator_list_for_staff(user=request.user)

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}

    def get_export_queryset(self, request):
        return self.get_queryset(request)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ("village", "year", "period", *self.readonly_fields)
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        figures = {field: form.cleaned_data[field] for field in INDICATOR_FIGURES}
        saved = services.indicator_save(
            village=obj.village,
            actor=request.user,
            year=obj.year,
            period=obj.period,
            figures=figures,
        )
        obj.pk = saved.pk


@admin.register(VillageActivity)
class VillageActivityAdmin(NotFoundOutsideScope, ScopedVillageMixin, SimpleHistoryAdmin):
    list_display = ("title", "village", "pillar", "held_on", "is_published")
    list_filter = ("pillar", "is_published", ProvinceInScopeFilter)
    search_fields = ("title", "village__region__name")
    list_select_related = ("village__region",)
    fields = (
        "village",
        "held_on",
        "pillar",
        "title",
        "description",
        "outcome",
        "title_en",
        "description_en",
        "outcome_en",
        "is_published",
    )

    def get_queryset(self, request):
        return selectors.activity_list_for_staff(user=request.user)

    def save_model(self, request, obj, form, change):
        if change:
            services.activity_update(
                activity=VillageActivity.objects.get(pk=obj.pk),
                actor=request.user,
                data={field: form.cleaned_data[field] for field in form.changed_data},
            )
            return
        created = services.activity_create(
            actor=request.user,
            **{field: form.cleaned_data[field] for field in self.fields},
        )
        obj.pk = created.pk


class VillageAssessmentItemInline(admin.TabularInline):
    model = VillageAssessmentItem
    extra = 0
    can_delete = False
    fields = ("criterion", "score", "evidence")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class VillageAssessmentForm(forms.ModelForm):
    """The checklist: one score and one evidence note per criterion."""

    class Meta:
        model = VillageAssessment
        fields = ("village", "assessed_on", "notes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in Criterion:
            self.fields[f"score_{criterion.value}"] = forms.TypedChoiceField(
                label=criterion.label, choices=CriterionScore.choices, coerce=int
            )
            self.fields[f"evidence_{criterion.value}"] = forms.CharField(
                label=_("evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def checklist(self) -> dict[str, tuple[int, str]]:
        return {
            criterion: (
                self.cleaned_data[f"score_{criterion}"],
                self.cleaned_data.get(f"evidence_{criterion}", ""),
            )
            for criterion in Criterion.values
        }


@admin.register(VillageAssessment)
class VillageAssessmentAdmin(NotFoundOutsideScope, ScopedVillageMixin, SimpleHistoryAdmin):
    list_display = ("village", "assessed_on", "score", "passed", "assessor")
    list_filter = ("passed", ProvinceInScopeFilter)
    search_fields = ("village__region__name",)
    list_select_related = ("village__region", "assessor")
    inlines = (VillageAssessmentItemInline,)

    def get_inlines(self, request, obj=None):
        # On the add form the checklist fields replace the items, which the service writes.
        return self.inlines if obj is not None else ()

    def get_queryset(self, request):
        return VillageAssessment.objects.select_related("village__region", "assessor").filter(
            village__in=selectors.village_list_for_staff(user=request.user).values("pk")
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = VillageAssessmentForm
            kwargs["fields"] = None
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            checklist = []
            for criterion in Criterion.values:
                checklist += [f"score_{criterion}", f"evidence_{criterion}"]
            return (
                (None, {"fields": ("village", "assessed_on", "notes")}),
                (_("Checklist"), {"fields": checklist}),
            )
        return ((None, {"fields": ("village", "assessed_on", "score", "passed", "notes")}),)

    def get_readonly_fields(self, request, obj=None):
        # An assessment is a record of what was seen on a date: it is never edited afterwards.
        if obj is not None:
            return ("village", "assessed_on", "score", "passed", "assessor", "notes")
        return ()

    def get_changeform_initial_data(self, request):
        return {"assessed_on": timezone.localdate()}

    def save_model(self, request, obj, form, change):
        if change:
            return
        assessment = services.village_assessment_record(
            village=form.cleaned_data["village"],
            assessor=request.user,
            assessed_on=form.cleaned_data["assessed_on"],
            items=form.checklist(),
            notes=form.cleaned_data.get("notes", ""),
        )
        obj.pk = assessment.pk

    def save_related(self, request, form, formsets, change):
        # The checklist items were written by the service.
        return
