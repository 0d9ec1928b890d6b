"""Configuration in the Django admin: thin, every write that has a rule goes through counters.services."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .exceptions import CountersError
from .models import Closure, Counter, CounterType, ExceptionalOpening, OpeningRule, Site, Slot
from .services import materialise_opening, plan_opening_slots, publish_opening, set_slot_capacity


@admin.register(Site)
class SiteAdmin(SimpleHistoryAdmin):
    list_display = ["name", "city", "phone", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "city"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CounterType)
class CounterTypeAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "code",
        "site",
        "slot_duration_minutes",
        "online_booking",
        "eligibility",
        "handover",
        "is_active",
    ]
    list_filter = ["site", "online_booking", "eligibility", "handover", "is_active"]
    list_select_related = ["site"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["urgent_counter_type"]


class OpeningRuleInline(admin.TabularInline):
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
class CounterAdmin(SimpleHistoryAdmin):
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
class ClosureAdmin(SimpleHistoryAdmin):
    list_display = ["reason", "site", "counter", "start_date", "end_date"]
    list_filter = ["site", "counter__site"]
    list_select_related = ["site", "counter__site"]
    search_fields = ["reason", "site__name", "counter__label"]
    date_hierarchy = "start_date"


@admin.register(ExceptionalOpening)
class ExceptionalOpeningAdmin(SimpleHistoryAdmin):
    list_display = [
        "announcement_title",
        "site",
        "date",
        "start_time",
        "end_time",
        "places",
        "published_at",
        "slot_count",
    ]
    list_filter = ["site", ("published_at", admin.EmptyFieldListFilter)]
    list_select_related = ["site"]
    search_fields = ["announcement_title", "site__name"]
    date_hierarchy = "date"
    filter_horizontal = ["counter_types"]
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
                    timezone.localtime(planned.starts_at).strftime("%H:%M"),
                    timezone.localtime(planned.ends_at).strftime("%H:%M"),
                    planned.capacity,
                )
                for planned in plan
            ),
        )
        return format_html(
            '<table class="slot-preview"><caption>{}</caption><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr>'
            "</thead><tbody>{}</tbody></table>",
            gettext("%(slots)s créneaux, %(places)s places")
            % {"slots": len(plan), "places": sum(planned.capacity for planned in plan)},
            gettext("Démarche"),
            gettext("Horaire"),
            gettext("Places"),
            rows,
        )

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
        try:
            created = publish_opening(opening=opening)
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
        slot = self.instance
        if data.get("capacity") is not None and data["capacity"] < slot.booked:
            self.add_error(
                "capacity",
                gettext("%(booked)s place(s) sont déjà prises sur ce créneau : il ne peut pas en offrir moins.")
                % {"booked": slot.booked},
            )
        reserved = data.get("reserved_capacity")
        if reserved is not None and reserved < slot.booked_reserved:
            self.add_error(
                "reserved_capacity",
                gettext("%(booked)s place(s) réservées aux agents sont déjà prises : il ne peut pas en garder moins.")
                % {"booked": slot.booked_reserved},
            )
        return data


@admin.register(Slot)
class SlotAdmin(SimpleHistoryAdmin):
    form = SlotCapacityForm
    list_display = [
        "starts_at",
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
    search_fields = ["counter_type__name", "counter__label"]
    date_hierarchy = "starts_at"
    fields = [
        "counter_type",
        "counter",
        "opening",
        "starts_at",
        "ends_at",
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
        "starts_at",
        "ends_at",
        "booked",
        "booked_reserved",
        "capacity_set_by_hand",
    ]

    def has_add_permission(self, request):
        return False  # slots come from the weekly hours and the exceptional openings

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
            self.message_user(request, error.message, messages.ERROR)
