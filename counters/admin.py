"""Configuration in the Django admin: thin, every write that has a rule goes through counters.services.

Each list and form keeps to the user's sites (staff_sites.admin): a head of bureau configures their own.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from prefecture.admin_lists import SafeDateListMixin
from prefecture.admin_translations import TranslatedContentAdmin
from prefecture.admin_widgets import SafeAutocompleteMixin

from .exceptions import CountersError
from .models import Closure, Counter, CounterType, ExceptionalOpening, OpeningRule, Site, Slot, WithheldPlace
from .services import (
    check_opening_overlap,
    check_slot_capacity,
    list_overlapping_openings,
    materialise_opening,
    plan_opening_slots,
    publish_opening,
    set_slot_capacity,
)
from .staff_sites.admin import SiteConfinedAdminMixin, SiteConfinedChoicesMixin


@admin.register(Site)
class SiteAdmin(SiteConfinedAdminMixin, TranslatedContentAdmin, SimpleHistoryAdmin):
    list_display = ["name", "city", "phone", "is_active", "missing_translations"]
    list_filter = ["is_active"]
    search_fields = ["name", "city"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CounterType)
class CounterTypeAdmin(SafeAutocompleteMixin, SiteConfinedAdminMixin, TranslatedContentAdmin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "code",
        "site",
        "slot_duration_minutes",
        "online_booking",
        "eligibility",
        "handover",
        "is_active",
        "missing_translations",
    ]
    list_filter = ["site", "online_booking", "eligibility", "handover", "is_active"]
    list_select_related = ["site"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["urgent_counter_type"]


class OpeningRuleInline(SiteConfinedChoicesMixin, admin.TabularInline):
    model = OpeningRule
    extra = 0
    fields = [
        "counter_type",
        "weekday",
        "start_time",
        "end_time",
        "people_per_slot",
        "reserved_per_slot",
        "valid_from",
        "valid_until",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("counter", "counter_type__site")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "counter_type":
            kwargs["queryset"] = CounterType.objects.select_related("site")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Counter)
class CounterAdmin(SiteConfinedAdminMixin, SimpleHistoryAdmin):
    list_display = ["numbered_label", "site", "rule_count", "is_active"]
    list_filter = ["site", "is_active", "counter_types"]
    list_select_related = ["site"]
    search_fields = ["label", "site__name"]
    filter_horizontal = ["counter_types"]
    inlines = [OpeningRuleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(rule_count=Count("rules"))

    @admin.display(description=_("horaires"), ordering="rule_count")
    def rule_count(self, obj) -> int:
        return obj.rule_count

    @admin.display(description=_("libellé"), ordering="sort_key")
    def numbered_label(self, obj) -> str:
        """The label, sorted as read: "Dépôt 2" before "Dépôt 10"."""
        return obj.label


@admin.register(Closure)
class ClosureAdmin(SiteConfinedAdminMixin, SafeDateListMixin, SimpleHistoryAdmin):
    list_display = ["reason", "site", "counter", "start_date", "end_date"]
    list_filter = ["site", "counter__site"]
    list_select_related = ["site", "counter__site"]
    search_fields = ["reason", "site__name", "counter__label"]
    date_hierarchy = "start_date"


class ExceptionalOpeningForm(forms.ModelForm):
    confirm_overlap = forms.BooleanField(
        label=_("Publier malgré tout"),
        required=False,
        help_text=_(
            "À cocher seulement pour publier une ouverture qui couvre les mêmes jour, horaires et démarches "
            "qu'une ouverture déjà publiée : les places s'ajoutent."
        ),
    )

    class Meta:
        model = ExceptionalOpening
        fields = [
            "site",
            "date",
            "start_time",
            "end_time",
            "counter_types",
            "places",
            "published_at",
            "announcement_title",
            "announcement_text",
            # Lottery mode (booking.lottery): its slots are drawn, never booked by the public.
            "mode",
            "registration_opens_at",
            "registration_closes_at",
            "confirm_hours",
            "priority_rule",
        ]

    PUBLISHING_FIELDS = {"published_at", "site", "date", "start_time", "end_time", "counter_types"}
    # Lottery mode's settings: left out (a form of before, a script), the opening keeps what it has.
    OPTIONAL_SETTINGS = ("mode", "confirm_hours", "priority_rule")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.OPTIONAL_SETTINGS:
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        for name in self.OPTIONAL_SETTINGS:
            if data.get(name) in (None, ""):
                data[name] = getattr(self.instance, name)
        fields = ("site", "date", "start_time", "end_time", "counter_types")
        changed = self.PUBLISHING_FIELDS & set(self.changed_data)
        publishing = data.get("published_at") and (not self.instance.pk or changed)
        if publishing and all(data.get(name) for name in fields):
            try:
                check_opening_overlap(
                    **{name: data[name] for name in fields},
                    exclude_pk=self.instance.pk,
                    confirmed=data.get("confirm_overlap", False),
                )
            except CountersError as error:
                self.add_error("published_at", error.message)
        return data


@admin.register(ExceptionalOpening)
class ExceptionalOpeningAdmin(SiteConfinedAdminMixin, SafeDateListMixin, TranslatedContentAdmin, SimpleHistoryAdmin):
    form = ExceptionalOpeningForm
    list_display = [
        "announcement_title",
        "site",
        "date",
        "start_time",
        "end_time",
        "places",
        "mode",
        "published_at",
        "slot_count",
        "missing_translations",
    ]
    list_filter = ["site", "mode", ("published_at", admin.EmptyFieldListFilter)]
    list_select_related = ["site"]
    search_fields = ["announcement_title", "site__name"]
    date_hierarchy = "date"
    filter_horizontal = ["counter_types"]
    # Named here: django-modeltranslation builds the page from the form's fields alone, without these read-only ones.
    fields = [*ExceptionalOpeningForm.Meta.fields, "confirm_overlap", "slot_preview", "slots_created_at"]
    readonly_fields = ["slot_preview", "slots_created_at"]
    actions = ["publish_now"]
    change_form_template = "admin/counters/exceptionalopening/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(slot_count=Count("slots"))

    @admin.display(description=_("créneaux créés"), ordering="slot_count")
    def slot_count(self, obj) -> int:
        return obj.slot_count

    @admin.display(description=_("aperçu des créneaux"))
    def slot_preview(self, obj):
        if obj is None or obj.pk is None:
            return gettext("Enregistrez l'ouverture en brouillon (sans date de publication) pour voir ses créneaux.")
        plan = plan_opening_slots(obj)
        if not plan:
            return gettext("Aucun créneau : choisissez au moins une démarche, et un horaire assez long.")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{} – {}</td><td>{}</td></tr>",
            (
                (
                    planned.counter_type.name,
                    planned.starts_at.strftime("%H:%M"),  # already in the site's time zone
                    planned.ends_at.strftime("%H:%M"),
                    planned.capacity,
                )
                for planned in plan
            ),
        )
        table = format_html(
            '<table class="slot-preview"><caption>{}</caption><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr>'
            "</thead><tbody>{}</tbody></table>",
            gettext("%(slots)s créneaux, %(places)s places")
            % {"slots": len(plan), "places": sum(planned.capacity for planned in plan)},
            gettext("Démarche"),
            gettext("Horaire"),
            gettext("Places"),
            rows,
        )
        return format_html("{}{}", self._overlap_warning(obj), table)

    @staticmethod
    def _overlap_warning(opening):
        others = list_overlapping_openings(
            site=opening.site,
            date=opening.date,
            start_time=opening.start_time,
            end_time=opening.end_time,
            counter_types=opening.counter_types.all(),
            exclude_pk=opening.pk,
        )
        if not others:
            return ""
        return format_html(
            '<p class="errornote" role="alert">{}</p>',
            gettext(
                "Attention : une ouverture déjà publiée couvre ce jour et ces horaires pour une même démarche "
                "(%(others)s). Publier celle-ci doublerait les places à ces horaires."
            )
            % {"others": ", ".join(str(other) for other in others)},
        )

    def save_model(self, request, obj, form, change):
        request.opening_overlap_confirmed = form.cleaned_data.get("confirm_overlap", False)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The procedures are saved only now: a publication already due creates its slots at once.
        if form.instance.is_published:
            materialise_opening(opening=form.instance)

    def response_change(self, request, obj):
        if "_publish" in request.POST:
            self._publish(request, obj)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    @admin.action(description=_("Publier maintenant (créneaux et annonce)"), permissions=["change"])
    def publish_now(self, request, queryset):
        for opening in queryset:
            self._publish(request, opening)

    def _publish(self, request, opening):
        confirmed = getattr(request, "opening_overlap_confirmed", False)  # the bulk action never confirms
        try:
            created = publish_opening(opening=opening, confirmed=confirmed)
        except CountersError as error:
            self.message_user(request, f"{opening} : {error.message}", messages.ERROR)
            return
        self.message_user(
            request,
            gettext("%(opening)s : publiée, %(count)s créneau(x) créé(s) et annonce en page d'accueil.")
            % {"opening": opening, "count": created},
            messages.SUCCESS,
        )


class SlotCapacityForm(forms.ModelForm):
    """Only the places can change; they never go below what is booked in each share."""

    class Meta:
        model = Slot
        fields = ["capacity", "reserved_capacity"]

    def clean(self):
        data = super().clean()
        capacity, reserved = data.get("capacity"), data.get("reserved_capacity")
        if capacity is not None and reserved is not None:
            try:
                check_slot_capacity(slot=self.instance, capacity=capacity, reserved_capacity=reserved)
            except CountersError as error:
                self.add_error(error.field, error.message)
        return data


@admin.register(Slot)
class SlotAdmin(SiteConfinedAdminMixin, SafeDateListMixin, SimpleHistoryAdmin):
    form = SlotCapacityForm
    list_display = [
        "local_start",
        "counter_type",
        "counter",
        "capacity",
        "booked",
        "reserved_capacity",
        "booked_reserved",
    ]
    list_filter = [
        "counter_type__site",
        "counter_type",
        "capacity_set_by_hand",
        ("opening", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["counter_type__site", "counter__site", "opening"]
    # A lookup through a relation reads the column itself, not the active language's: search the French name.
    search_fields = ["counter_type__name_fr", "counter__label"]
    date_hierarchy = "starts_at"
    fields = [
        "counter_type",
        "counter",
        "opening",
        "local_start",
        "local_end",
        "capacity",
        "booked",
        "reserved_capacity",
        "booked_reserved",
        "capacity_set_by_hand",
    ]
    readonly_fields = [
        "counter_type",
        "counter",
        "opening",
        "local_start",
        "local_end",
        "booked",
        "booked_reserved",
        "capacity_set_by_hand",
    ]

    def has_add_permission(self, request):
        return False  # slots come from the weekly hours and the exceptional openings

    # The site's hours, not the server's: an overseas prefecture reads its own clock.
    @admin.display(description=_("début (heure du site)"), ordering="starts_at")
    def local_start(self, slot) -> str:
        return f"{slot.starts_at.astimezone(slot.counter_type.site.zone):%d/%m/%Y %H:%M}"

    @admin.display(description=_("fin (heure du site)"), ordering="ends_at")
    def local_end(self, slot) -> str:
        return f"{slot.ends_at.astimezone(slot.counter_type.site.zone):%d/%m/%Y %H:%M}"

    def has_delete_permission(self, request, obj=None):
        return False  # a slot may hold bookings; lower its places to zero instead

    def save_model(self, request, obj, form, change):
        try:
            set_slot_capacity(
                slot=obj,
                capacity=form.cleaned_data["capacity"],
                reserved_capacity=form.cleaned_data["reserved_capacity"],
            )
        except CountersError as error:  # a booking came in between the form check and the save
            request.slot_refusal = error

    def response_change(self, request, obj):
        refusal = getattr(request, "slot_refusal", None)
        if refusal is not None:  # nothing was saved: say so, without the "changed successfully" message
            self.message_user(request, refusal.message, messages.ERROR)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)


@admin.register(WithheldPlace)
class WithheldPlaceAdmin(admin.ModelAdmin):
    """Freed places and when they come back: read only, the release job decides."""

    list_display = ["slot", "reason", "withheld_at", "release_at", "released_at", "outcome"]
    list_filter = ["reason", "outcome", "slot__counter_type__site"]
    list_select_related = ["slot__counter_type__site"]
    date_hierarchy = "withheld_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
