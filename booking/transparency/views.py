"""Public transparency pages: which sites, and each site's figures of the last 30 days."""

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from counters import selectors as counter_selectors
from counters.models import Site

from .selectors import MIN_SAMPLES, PERIOD_DAYS, get_site_transparency


class TransparencyIndexView(TemplateView):
    template_name = "transparency/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(sites=counter_selectors.list_sites(), period_days=PERIOD_DAYS, **kwargs)


class SiteTransparencyView(TemplateView):
    template_name = "transparency/site.html"

    def get_context_data(self, **kwargs):
        site = Site.objects.filter(slug=self.kwargs["slug"], is_active=True).first()
        if site is None:
            raise Http404(_("Ce site n'existe pas ou ne reçoit plus le public."))
        return super().get_context_data(
            transparency=get_site_transparency(site=site),
            period_days=PERIOD_DAYS,
            min_samples=MIN_SAMPLES,
            **kwargs,
        )
