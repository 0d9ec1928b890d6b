"""Lotteries in the admin: their window, whether drawn, the seed (once drawn) and counts; read only.

A lottery is set up by putting an exceptional opening in lottery mode (counters' admin); its seed is
drawn by the site, never typed, and the draw is the job's. No registrant's name is shown here.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from counters.staff_sites.admin import SiteConfinedAdminMixin

from .models import Lottery
from .selectors import count_by_lottery


@admin.register(Lottery)
class LotteryAdmin(SiteConfinedAdminMixin, admin.ModelAdmin):
    site_via = "opening__site"
    list_display = ["opening", "closes_at", "drawn_at", "registered", "drawn", "confirmed", "in_reserve"]
    # No filter by site: its choices would name every site, the others' too.
    list_filter = [("drawn_at", admin.EmptyFieldListFilter)]
    list_select_related = ["opening__site"]
    fields = [
        "opening",
        "closes_at",
        "seed_commitment",
        "drawn_at",
        "published_seed",
        "priority_rule",
        "registered",
        "drawn",
        "confirmed",
        "in_reserve",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return count_by_lottery(super().get_queryset(request))

    @admin.display(description=_("tirage prévu le"), ordering="opening__registration_closes_at")
    def closes_at(self, obj):
        return obj.opening.registration_closes_at

    @admin.display(description=_("graine"))
    def published_seed(self, obj) -> str:
        # Secret until the draw: nobody, staff included, may compute the order in advance.
        return obj.seed if obj.is_drawn else _("publiée au tirage")

    @admin.display(description=_("inscrits"), ordering="registered")
    def registered(self, obj) -> int:
        return obj.registered

    @admin.display(description=_("tirés"), ordering="drawn")
    def drawn(self, obj) -> int:
        return obj.drawn

    @admin.display(description=_("confirmés"), ordering="confirmed")
    def confirmed(self, obj) -> int:
        return obj.confirmed

    @admin.display(description=_("en réserve"), ordering="in_reserve")
    def in_reserve(self, obj) -> int:
        return obj.in_reserve

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
