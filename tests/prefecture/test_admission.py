"""Load shedding: past the admission limit, a bounded wait, then a quick 503 that says the booking is kept."""

import threading
import time

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from prefecture.admission import AdmissionMiddleware

# Timed waits on a condition: under faketime (make test-clock) they fail with EINVAL or never return.
pytestmark = pytest.mark.timed_waits


@pytest.fixture
def admission(settings):
    """A middleware admitting one request at a time, waiting at most 200 ms, and a way to hold its turn."""
    settings.ADMISSION_CONCURRENCY, settings.ADMISSION_MAX_WAIT_MS = 1, 200
    settings.ADMISSION_RETRY_AFTER_S, settings.ADMISSION_TRUST_REQUEST_START = 7, True
    entered, release = threading.Event(), threading.Event()

    def view(request):
        if request.path == "/slow/":
            entered.set()
            release.wait(10)
        return HttpResponse("served")

    middleware = AdmissionMiddleware(view)
    holder = threading.Thread(target=lambda: middleware(RequestFactory().get("/slow/")))

    def hold():
        holder.start()
        assert entered.wait(5)

    yield middleware, hold, release
    release.set()
    if holder.is_alive():
        holder.join()


def test_request_beyond_the_limit_gets_a_translated_503_after_the_bounded_wait(admission):
    middleware, hold, _release = admission
    hold()
    started = time.monotonic()
    response = middleware(RequestFactory().get("/rendez-vous/creneau/", HTTP_ACCEPT_LANGUAGE="en"))
    waited = time.monotonic() - started

    assert response.status_code == 503 and response["Retry-After"] == "7"
    assert 0.15 < waited < 1.5
    page = response.content.decode()
    assert '<html lang="en"' in page and "Your booking in progress is kept" in page
    assert "dsfr.min.css" in page  # styled like every page
    assert response["Cache-Control"] == "no-store"


def test_shed_page_is_french_by_default(admission):
    middleware, hold, _release = admission
    hold()
    page = middleware(RequestFactory().get("/")).content.decode()
    assert '<html lang="fr"' in page and "Votre réservation en cours est conservée" in page


def test_shed_page_in_arabic_reads_right_to_left_and_offers_no_language_form(admission):
    middleware, hold, _release = admission
    hold()
    page = middleware(RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="ar")).content.decode()
    assert '<html lang="ar" dir="rtl"' in page and "css/rtl.css" in page
    assert "الخدمة مزدحمة جدًا" in page  # "Service très sollicité"
    # Rendered once for every visitor, without a request: no form, so no CSRF token to share.
    assert "csrfmiddlewaretoken" not in page and "set_language" not in page and "/i18n/" not in page


def test_waiting_request_is_served_when_a_turn_frees_in_time(admission):
    middleware, hold, release = admission
    hold()
    threading.Timer(0.05, release.set).start()
    assert middleware(RequestFactory().get("/")).status_code == 200


def test_health_probes_are_never_shed(admission):
    middleware, hold, _release = admission
    hold()
    assert middleware(RequestFactory().get("/healthz")).status_code == 200
    assert middleware(RequestFactory().get("/readyz")).status_code == 200


def test_request_that_already_waited_at_the_proxy_is_shed_at_once(admission):
    middleware, _hold, _release = admission
    long_ago = f"t={time.time() - 5:.3f}"
    started = time.monotonic()
    response = middleware(RequestFactory().get("/", HTTP_X_REQUEST_START=long_ago))
    assert response.status_code == 503 and time.monotonic() - started < 0.05


def test_proxy_time_is_ignored_unless_trusted(admission, settings):
    settings.ADMISSION_TRUST_REQUEST_START = False
    middleware = AdmissionMiddleware(lambda request: HttpResponse("served"))
    response = middleware(RequestFactory().get("/", HTTP_X_REQUEST_START=f"t={time.time() - 5:.3f}"))
    assert response.status_code == 200


def test_no_limit_in_development(settings):
    settings.ADMISSION_CONCURRENCY = 0
    middleware = AdmissionMiddleware(lambda request: HttpResponse("served"))
    assert middleware.turns is None and middleware(RequestFactory().get("/")).status_code == 200


@pytest.mark.parametrize(
    "first",
    [
        RequestFactory().post("/rendez-vous/verification/"),
        RequestFactory().get("/rendez-vous/code/"),  # the page a hold leads to: a place is held meanwhile
    ],
    ids=["form submission", "code page"],
)
def test_a_freed_turn_goes_to_a_waiting_form_submission_before_a_page_view(admission, first):
    middleware, hold, release = admission
    hold()
    served = []

    def visit(request, name):
        if middleware(request).status_code == 200:
            served.append(name)

    factory = RequestFactory()
    page = threading.Thread(target=visit, args=(factory.get("/rendez-vous/"), "page"))
    page.start()
    time.sleep(0.05)  # the page view waits first
    confirm = threading.Thread(target=visit, args=(first, "confirm"))
    confirm.start()
    time.sleep(0.05)
    release.set()  # one turn frees; the one in it is quick, so both end up served, the confirmation first
    confirm.join()
    page.join()
    assert served[0] == "confirm"


def test_the_shed_page_carries_the_security_policy_like_every_page(settings):
    """The policy's middleware wraps the admission: a 503 made before any view still has its headers."""
    from django.utils.module_loading import import_string

    names = settings.MIDDLEWARE
    assert names.index("prefecture.middleware.SecurityHeadersMiddleware") < names.index(
        "prefecture.admission.AdmissionMiddleware"
    )
    settings.ADMISSION_CONCURRENCY, settings.ADMISSION_MAX_WAIT_MS = 1, 0
    busy = threading.Event()

    def view(request):
        busy.wait(5)
        return HttpResponse("served")

    chain = import_string("prefecture.middleware.SecurityHeadersMiddleware")(AdmissionMiddleware(view))
    holder = threading.Thread(target=lambda: chain(RequestFactory().get("/slow/")))
    holder.start()
    try:
        time.sleep(0.2)
        response = chain(RequestFactory().get("/"))
    finally:
        busy.set()
        holder.join()
    assert response.status_code == 503
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["Permissions-Policy"]
