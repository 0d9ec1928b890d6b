from django.contrib import admin

from .models import Booking, OutboundEmail


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["reference", "last_name", "first_names", "counter_type", "slot", "status", "channel"]
    list_filter = ["status", "channel", "counter_type__site", "counter_type"]
    list_select_related = ["counter_type", "slot", "slot__counter_type"]
    search_fields = ["reference", "last_name", "first_names", "email"]
    readonly_fields = ["reference", "slot", "counter_type", "created_at", "created_by"]
    exclude = ["token"]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["booking", "kind", "sequence", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["booking"]
    readonly_fields = [
        "booking",
        "kind",
        "sequence",
        "attempts",
        "last_error",
        "created_at",
        "last_attempt_at",
        "sent_at",
    ]
