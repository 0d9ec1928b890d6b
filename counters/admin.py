from django.contrib import admin

from .models import Closure, Counter, CounterType, ExceptionalOpening, OpeningRule, Site, Slot


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "phone", "is_active"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CounterType)
class CounterTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "site", "slot_duration_minutes", "online_booking", "eligibility", "is_active"]
    list_filter = ["site", "online_booking", "eligibility", "is_active"]
    list_select_related = ["site"]
    search_fields = ["name", "code"]


class OpeningRuleInline(admin.TabularInline):
    model = OpeningRule
    extra = 0


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin):
    list_display = ["label", "site", "is_active"]
    list_filter = ["site", "is_active"]
    list_select_related = ["site"]
    filter_horizontal = ["counter_types"]
    inlines = [OpeningRuleInline]


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["reason", "site", "counter", "start_date", "end_date"]
    list_filter = ["site"]
    list_select_related = ["site", "counter"]


@admin.register(ExceptionalOpening)
class ExceptionalOpeningAdmin(admin.ModelAdmin):
    list_display = ["announcement_title", "site", "date", "start_time", "end_time", "places", "published_at"]
    list_filter = ["site"]
    list_select_related = ["site"]
    filter_horizontal = ["counter_types"]


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = ["starts_at", "counter_type", "counter", "capacity", "booked"]
    list_filter = ["counter_type__site", "counter_type"]
    list_select_related = ["counter_type", "counter", "counter_type__site"]
    date_hierarchy = "starts_at"
    readonly_fields = ["counter_type", "counter", "opening", "starts_at", "ends_at", "booked"]
