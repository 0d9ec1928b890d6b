"""Certificates in the admin: read only, since any change would break their signature."""

import re

from django.contrib import admin

from counters.staff_sites.admin import SiteConfinedAdminMixin
from prefecture.admin_lists import SafeDateListMixin

from .codes import normalise_code
from .models import AttemptCertificate

CODE_TYPED = re.compile(r"^[A-Za-z0-9]{4}[\s-]?[A-Za-z0-9]{4}[\s-]?[A-Za-z0-9]{4}$")


@admin.register(AttemptCertificate)
class AttemptCertificateAdmin(SiteConfinedAdminMixin, SafeDateListMixin, admin.ModelAdmin):
    site_via = "site"
    list_display = ["display_code", "procedure_name", "site_name", "issued_at", "searched_from", "searched_until"]
    list_filter = ["site"]
    search_fields = ["=code"]
    date_hierarchy = "issued_at"

    def get_search_results(self, request, queryset, search_term):
        # Printed as ABCD-EFGH-JKMN, stored as ABCDEFGHJKMN.
        if CODE_TYPED.match(search_term.strip()):
            search_term = normalise_code(search_term) or search_term
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request):
        return False  # issued only by the public page, which first establishes that no place is offered

    def has_change_permission(self, request, obj=None):
        return False
