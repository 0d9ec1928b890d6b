"""Waiting lists in the admin: per procedure, how many wait, have a place offered, booked from the list.

No one's name or address: the staff need the sizes of the lists, not who is on them (the desk books for a
person in front of them through the usual pages). Confined to the staff's sites.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from counters.staff_sites.admin import SiteConfinedAdminMixin

from .models import WaitingList
from .selectors import count_by_procedure


@admin.register(WaitingList)
class WaitingListAdmin(SiteConfinedAdminMixin, admin.ModelAdmin):
    site_via = "site"
    list_display = ["name", "site", "waiting", "offered", "booked_from_list"]
    list_select_related = ["site"]
    fields = ["name", "site", "waiting", "offered", "booked_from_list"]
    readonly_fields = fields

    def get_queryset(self, request):
        return count_by_procedure(super().get_queryset(request))

    @admin.display(description=_("en attente"), ordering="waiting")
    def waiting(self, obj) -> int:
        return obj.waiting

    @admin.display(description=_("place proposée"), ordering="offered")
    def offered(self, obj) -> int:
        return obj.offered

    @admin.display(description=_("rendez-vous pris depuis la liste"), ordering="booked_from_list")
    def booked_from_list(self, obj) -> int:
        return obj.booked_from_list

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
