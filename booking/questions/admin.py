"""The information service's configuration: topics and reply templates, written in French and translated by staff,
for every site (the national administrator's) or one (its head of bureau's, like the FAQ)."""

from django.contrib import admin

from counters.staff_sites.admin import SiteConfinedAdminMixin
from counters.staff_sites.selectors import sees_all_sites
from prefecture.admin_translations import TranslatedContentAdmin

from .models import ReplyTemplate, Topic


class OneSiteUnlessNationalMixin:
    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "site" in form.base_fields and not sees_all_sites(request.user):
            # Left empty, it would be for every site: not a head of bureau's to write.
            form.base_fields["site"].required = True
        return form


@admin.register(Topic)
class TopicAdmin(OneSiteUnlessNationalMixin, SiteConfinedAdminMixin, TranslatedContentAdmin):
    site_via = "site"
    list_display = ["name", "faq_topic", "site", "position", "is_active", "missing_translations"]
    list_filter = ["site", "is_active"]
    list_select_related = ["site"]
    list_editable = ["position", "is_active"]
    fields = ["name", "faq_topic", "site", "position", "is_active"]


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(OneSiteUnlessNationalMixin, SiteConfinedAdminMixin, TranslatedContentAdmin):
    site_via = "site"
    list_display = ["title", "topic", "site", "position", "missing_translations"]
    list_filter = ["topic", "site"]
    list_select_related = ["site", "topic"]
    search_fields = ["title", "body"]
    fields = ["title", "body", "topic", "site", "position"]
