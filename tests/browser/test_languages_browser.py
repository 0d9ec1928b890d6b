"""In a real Chromium: the language switch without JavaScript, and a whole booking in Arabic, right to left."""

import io
import re
import unicodedata

import pytest
from django.core import mail
from django.db import connections
from playwright.sync_api import expect
from pypdf import PdfReader

from booking.models import Booking
from counters.models import CounterType
from counters.services import generate_slots
from tests.browser.conftest import _open_page
from tests.factories import CounterTypeFactory, ExceptionalOpeningFactory, SiteFactory, days_through, next_weekday

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME_AR = "إيداع طلب بطاقة إقامة أو تجديدها"
DOCUMENTS_AR = "جواز سفر ساري المفعول\nإثبات سكن لا يتجاوز عمره 3 أشهر"


@pytest.fixture
def phone_without_javascript(browser, live_server):
    """The smallest phone the site is made for, with JavaScript off (an old browser, a data saver)."""
    context, page = _open_page(
        browser, live_server, viewport={"width": 360, "height": 640}, is_mobile=True, java_script_enabled=False
    )
    yield page
    connections.close_all()
    context.close()


def open_language_menu(page) -> None:
    """The header's disclosure, named for screen readers "Choisir une langue", shown as its icon and "FR"."""
    page.locator("summary").filter(has_text="Choisir une langue").first.click()


def html_attributes(page) -> tuple[str, str]:
    html = page.locator("html")
    return html.get_attribute("lang"), html.get_attribute("dir")


def test_a_phone_without_javascript_switches_to_arabic_and_the_next_page_stays_arabic(phone_without_javascript):
    page = phone_without_javascript
    page.goto("/")
    assert html_attributes(page) == ("fr", "ltr")

    # The header's own menu needs JavaScript; the language switch next to it does not.
    open_language_menu(page)
    page.get_by_role("button", name="العربيّة").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("حجز موعد في مكتب الإقامة")
    assert html_attributes(page) == ("ar", "rtl")
    page.get_by_role("link", name="أسئلة متكررة").first.click()  # the footer's "Questions fréquentes"
    expect(page.get_by_role("heading", level=1)).to_have_text("أسئلة متكررة")
    assert html_attributes(page) == ("ar", "rtl")


def test_the_footer_offers_every_language_to_a_phone_without_javascript(phone_without_javascript):
    page = phone_without_javascript
    page.goto("/rendez-vous/")
    footer = page.get_by_role("contentinfo")
    footer.get_by_role("button", name="Русский").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Шаг 1 из 5")  # "Étape 1 sur 5"
    assert html_attributes(page) == ("ru", "ltr")


def test_a_resident_books_in_arabic_and_gets_the_email_and_convocation_in_arabic(phone_page, live_server, settings):
    settings.SITE_URL = live_server.url
    page = phone_page
    site = SiteFactory(name="Préfecture de l'Hérault", address="34 place des Martyrs de la Résistance")
    filing = CounterTypeFactory(
        site=site,
        name="Dépôt ou renouvellement d'un titre de séjour",
        name_ar=NAME_AR,
        audience_ar="لطلب أول لبطاقة الإقامة.",
        documents_to_bring="Passeport en cours de validité\nJustificatif de domicile de moins de 3 mois",
        documents_to_bring_ar=DOCUMENTS_AR,
        eligibility=CounterType.Eligibility.RENEWAL,
        slot_duration_minutes=20,
        min_days_ahead=1,
    )
    saturday = next_weekday(5)
    ExceptionalOpeningFactory(site=site, date=saturday, places=200, counter_types=[filing])
    generate_slots(days=days_through(saturday))

    page.goto("/")
    open_language_menu(page)
    page.get_by_role("button", name="العربيّة").first.click()
    assert html_attributes(page) == ("ar", "rtl")
    page.get_by_role("link", name=NAME_AR).first.click()

    # Conditions: the procedure, who it is for and what to bring, in Arabic.
    expect(page.get_by_role("heading", level=1)).to_contain_text("الشروط")
    assert html_attributes(page) == ("ar", "rtl")
    expect(page.get_by_text("لطلب أول لبطاقة الإقامة.")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="جواز سفر ساري المفعول")).to_be_visible()
    page.get_by_text("طلب أول لبطاقة الإقامة", exact=True).click()
    page.get_by_role("button", name="متابعة").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("التاريخ والتوقيت")
    page.get_by_role("link", name=re.compile("^سبت")).click()  # "sam." in French
    page.get_by_text(re.compile(r"^08:50 – 09:10")).click()
    page.get_by_role("button", name="اختيار هذا التوقيت").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("معلوماتك")
    page.get_by_label("اسم العائلة").fill("Benali")
    page.get_by_label("الاسم (الأسماء) الشخصي").fill("Yacine")
    page.get_by_label("تاريخ الميلاد").fill("1988-07-14")
    page.get_by_label("الجنسية").select_option("DZ")
    page.get_by_label(re.compile(r"^رقم الأجنبي")).fill("7599988877")
    page.get_by_label(re.compile(r"^عنوان البريد الإلكتروني")).fill("yacine@example.org")
    page.get_by_label("أكّد عنوان بريدك الإلكتروني").fill("yacine@example.org")
    page.get_by_role("button", name="متابعة").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("المراجعة")
    expect(page.get_by_text(NAME_AR)).to_be_visible()
    page.get_by_text("أشهد بأن المعلومات المدخلة صحيحة.").click()
    page.get_by_role("button", name="تأكيد الموعد").click()

    expect(page.get_by_role("heading", name="تم تأكيد موعدك")).to_be_visible()
    assert html_attributes(page) == ("ar", "rtl")
    booking = Booking.objects.get()
    assert booking.language == "ar"
    expect(page.get_by_text(booking.display_reference)).to_be_visible()

    [email] = mail.outbox
    assert email.subject.startswith("تأكيد موعدك")
    assert NAME_AR in email.body and "جواز سفر ساري المفعول" in email.body
    assert '<html lang="ar" dir="rtl">' in email.alternatives[0][0]
    pdf = next(content for _name, content, mimetype in email.attachments if mimetype == "application/pdf")
    text = unicodedata.normalize("NFKC", PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert "استدعاء" in text and NAME_AR in text and booking.display_reference in text
