"""A database out of reach: 503 pages with Retry-After, never the 500 page, and back by itself.

Against a live server: its requests open and close connections as in service
(the test client keeps one connection for the whole test, unlike a server).
"""

import urllib.error
import urllib.request
from http.cookiejar import CookieJar

import pytest
from django.db import OperationalError
from django.urls import reverse

from prefecture.outage import is_database_unavailable
from tests.factories import SlotFactory

pytestmark = pytest.mark.django_db(transaction=True)


class Visitor:
    """A browser without JavaScript: keeps its cookies, reads status, headers and page."""

    def __init__(self, base_url: str, language: str = "fr"):
        self.base_url, self.language = base_url, language
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> tuple[int, dict, str]:
        request = urllib.request.Request(self.base_url + path, headers={"Accept-Language": self.language})
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()


def test_pages_answer_503_while_the_database_is_out_of_reach_then_recover_by_themselves(live_server, database_outage):
    cut, restore = database_outage
    visitor = Visitor(live_server.url)
    assert visitor.get("/")[0] == 200
    cut()
    for path in ("/", reverse("booking:procedures"), "/", reverse("booking:procedures")):
        status, headers, page = visitor.get(path)
        assert status == 503, path
        assert headers["Retry-After"] == "10" and headers["Cache-Control"] == "no-store"
        assert "Service momentanément indisponible" in page and "Votre réservation en cours est conservée" in page
    restore()
    assert visitor.get("/")[0] == 200  # no restart: the server connects again by itself


def test_a_booking_in_progress_is_still_there_after_the_outage(live_server, database_outage):
    cut, restore = database_outage
    slot = SlotFactory(capacity=3)
    visitor = Visitor(live_server.url)
    assert visitor.get(reverse("booking:start", args=[slot.counter_type.pk]))[0] == 200  # the next step
    cut()
    assert visitor.get(reverse("booking:slot"))[0] == 503
    restore()
    status, _headers, page = visitor.get(reverse("booking:slot"))
    assert status == 200 and slot.counter_type.name in page


def test_the_outage_page_follows_the_visitors_language(live_server, database_outage):
    cut, _restore = database_outage
    visitor = Visitor(live_server.url, language="en")
    visitor.get("/")
    cut()
    status, _headers, page = visitor.get("/")
    assert status == 503 and '<html lang="en"' in page and "Your booking in progress is kept" in page


def test_the_outage_page_in_arabic_reads_right_to_left(live_server, database_outage):
    cut, _restore = database_outage
    visitor = Visitor(live_server.url, language="ar")
    visitor.get("/")
    cut()
    status, _headers, page = visitor.get("/")
    assert status == 503 and '<html lang="ar" dir="rtl"' in page and "css/rtl.css" in page
    assert "الخدمة غير متاحة مؤقتًا" in page  # "Service momentanément indisponible"


def test_only_connection_failures_count_as_an_outage():
    class Cause(Exception):
        def __init__(self, pgcode):
            self.pgcode = pgcode

    def error(pgcode, text="error"):
        wrapped = OperationalError(text)
        wrapped.__cause__ = Cause(pgcode)
        return wrapped

    assert is_database_unavailable(error(None, "connection refused"))
    assert is_database_unavailable(error("08006"))
    assert is_database_unavailable(error("57P01"))
    assert not is_database_unavailable(error("55P03"))  # a lock timeout: busy, answered by the view
    assert not is_database_unavailable(error("57014"))  # a statement timeout
    assert not is_database_unavailable(OperationalError("database is locked"))  # SQLite, busy
    assert not is_database_unavailable(ValueError("a bug"))
