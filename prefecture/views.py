"""Public pages that are not a step of the booking: home, practical information, frequently asked questions."""

from django.shortcuts import render
from django.views.generic import TemplateView

from counters import selectors as counter_selectors

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


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    message = exception.args[0] if exception and exception.args and isinstance(exception.args[0], str) else ""
    return render(request, "errors/404.html", {"message": message}, status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)


def csrf_failure(request, reason=""):
    return render(request, "errors/403_csrf.html", status=403)
