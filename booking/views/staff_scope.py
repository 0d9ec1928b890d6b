"""What every staff page shares: the login with its second factor, the permission, the user's sites."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import QuerySet
from django.shortcuts import render
from django.utils import timezone

from counters import selectors as counter_selectors
from counters.models import Site
from counters.staff_sites.selectors import list_sites_for
from prefecture.staff_auth.access import SecondFactorRequiredMixin


class SiteScopeMixin:
    """`self.sites`: the active sites the user works at. A page that shows one site's figures or
    agenda (`needs_site`) explains, with a 403, that none is assigned yet."""

    needs_site = False

    def dispatch(self, request, *args, **kwargs):
        self.sites = list_sites_for(request.user).filter(is_active=True)
        if self.needs_site and not self.sites.exists():
            return render(request, "staff/no_site.html", status=403)
        return super().dispatch(request, *args, **kwargs)


class StaffMixin(SecondFactorRequiredMixin, PermissionRequiredMixin, SiteScopeMixin):
    """Visitors without both factors are sent to the login; staff without the permission get a 403."""


def default_site(sites: QuerySet[Site]) -> Site | None:
    return sites.order_by("name").first()


def chosen_site(raw: str | None, sites: QuerySet[Site]) -> Site | None:
    """The site asked for in the query if it is one of `sites`, else the first of them: its time zone gives
    "today". Another site asked for is left to the form, which refuses it."""
    site = sites.filter(pk=int(raw)).first() if raw and raw.isdigit() and len(raw) < 10 else None
    return site or default_site(sites)


def site_today(site: Site | None) -> dt.date:
    return counter_selectors.site_today(site) if site else timezone.localdate()
