"""Bookings in the Django admin: searching and reading (of the user's sites); status changes go through the desk."""

import re

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from counters.staff_sites.admin import SiteConfinedAdminMixin
from prefecture.admin_lists import SafeDateListMixin

from .identity import clean_visible_text
from .models import Booking, OutboundEmail

REFERENCE_TYPED = re.compile(r"^[A-Za-z0-9]{4}[\s-]?[A-Za-z0-9]{4}$")


class BookingAdminForm(forms.ModelForm):
    """A correction made here obeys the rule of the booking forms: no invisible characters, NFC.

    The identity (Booking.IDENTITY_FIELDS) is read-only: a booking never changes hands (the database
    refuses it too). A mistaken identity is an agent's release (usurpation) and a new booking.
    """

    def clean_email(self) -> str:
        return clean_visible_text(self.cleaned_data["email"])


@admin.register(Booking)
class BookingAdmin(SiteConfinedAdminMixin, SafeDateListMixin, SimpleHistoryAdmin):
    site_via = "counter_type__site"
    form = BookingAdminForm
    list_display = ["reference", "last_name", "first_names", "counter_type", "slot", "status", "channel", "created_by"]
    list_filter = ["status", "channel", "counter_type__site", "counter_type", "reserved_place"]
    list_select_related = ["counter_type__site", "slot__counter_type__site", "created_by"]
    search_fields = ["=reference", "last_name", "first_names", "email"]
    date_hierarchy = "slot__starts_at"
    readonly_fields = [
        "reference",
        *(name for name in Booking.IDENTITY_FIELDS if not name.endswith("_key")),  # keys are not shown
        "slot",
        "counter_type",
        "status",
        "channel",
        "created_at",
        "created_by",
        "reserved_place",
        "checked_in_at",
        "handed_over",
        "cancelled_at",
        "hold_expires_at",
        "confirmed_at",
        "code_attempts",
    ]
    exclude = ["token", "verification_token"]

    def get_search_results(self, request, queryset, search_term):
        # A reference is printed and read as ABCD-EFGH; it is stored as ABCDEFGH, in capitals.
        if REFERENCE_TYPED.match(search_term.strip()):
            search_term = re.sub(r"[\s-]", "", search_term.strip()).upper()
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request):
        return False  # bookings are made through the public flow or the desk pages, which take a place


@admin.register(OutboundEmail)
class OutboundEmailAdmin(SiteConfinedAdminMixin, admin.ModelAdmin):
    # An e-mail is about a booking, a lottery registration or a waiting-list entry.
    site_via = ("booking__counter_type__site", "registration__counter_type__site", "waitlist_entry__counter_type__site")
    list_display = ["booking", "kind", "sequence", "status", "attempts", "created_at", "retry_after", "sent_at"]
    search_fields = ["=booking__reference", "=recipient"]
    list_filter = ["status", "kind"]
    list_select_related = ["booking"]
    readonly_fields = [
        "booking",
        "registration",
        "waitlist_entry",
        "recipient",
        "kind",
        "sequence",
        "attempts",
        "last_error",
        "created_at",
        "last_attempt_at",
        "retry_after",
        "sent_at",
    ]

    def has_add_permission(self, request):
        # An e-mail is queued by the change it tells about, in its transaction (booking.emails): one added
        # here would be about nothing (the database refuses it) and tell nothing.
        return False
