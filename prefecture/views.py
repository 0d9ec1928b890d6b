"""Public pages that are not a step of the booking: home, practical information, frequently asked questions,
the accessibility statement."""

import datetime as dt
import sys

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.views.generic import TemplateView

from counters import selectors as counter_selectors

from .context_processors import page_without_request
from .outage import is_database_unavailable
from .selectors import list_faq_entries


class HomeView(TemplateView):
    template_name = "prefecture/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            announcements=counter_selectors.list_announcements(),
            sites=counter_selectors.list_sites(),
            **kwargs,
        )


class PracticalInformationView(TemplateView):
    template_name = "prefecture/practical_information.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(sites=counter_selectors.list_sites(), **kwargs)


class FaqView(TemplateView):
    template_name = "prefecture/faq.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(entries=list_faq_entries(), **kwargs)


class AccessibilityStatementView(TemplateView):
    """The accessibility statement in the RGAA's form: conformity, what is not accessible, contact, recourse."""

    template_name = "prefecture/accessibility.html"
    # The day the statement was last checked against the audits it describes (tests/browser/test_a11y_audit.py).
    established_on = dt.date(2026, 11, 26)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sites=counter_selectors.list_sites(), established_on=self.established_on, **kwargs
        )


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    message = exception.args[0] if exception and exception.args and isinstance(exception.args[0], str) else ""
    return render(request, "errors/404.html", {"message": message}, status=404)


def server_error(request):
    """The 500 page, unless the database is out of reach: then a 503 that says to come back.

    Django calls this inside its `except` block, so the error is still at hand.
    """
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable()
    return render(request, "errors/500.html", status=500)


def database_unavailable() -> HttpResponse:
    """503 with Retry-After, rendered without the request: the session and the user need the database."""
    context = {"outage": True, **page_without_request(translation.get_language())}
    page = render_to_string("errors/503.html", context)
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(settings.DATABASE_OUTAGE_RETRY_AFTER_S)
    response["Cache-Control"] = "no-store"
    return response


def csrf_failure(request, reason=""):
    return render(request, "errors/403_csrf.html", status=403)
