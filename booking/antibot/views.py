"""The challenge the page's script fetches and solves (static/js/antibot.js), and the limit on the forms
that check it."""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import View

from prefecture.ratelimit import client_ip

from ..limits import enforce, proof_level
from .pow import PURPOSES, issue_challenge


@method_decorator(never_cache, name="dispatch")
class ChallengeView(View):
    def get(self, request, purpose: str):
        if purpose not in PURPOSES:
            raise Http404()
        ip = client_ip(request)
        enforce(("challenge:ip", ip))
        level = proof_level(purpose, ip)
        return JsonResponse(issue_challenge(purpose=purpose, level=level))


class CheckedFormPostMixin:
    """Every POST of a form with an anti-robot check counts against a generous limit per IP ("proof:ip").

    Checking a wrong solution costs the server one key derivation: without this,
    one challenge could be sent back wrong without end. Counted before the form
    is validated, whatever its outcome.
    """

    def post(self, request, *args, **kwargs):
        enforce(("proof:ip", client_ip(request)))
        return super().post(request, *args, **kwargs)
