"""In a real Chromium: the language switch without JavaScript, and a whole booking in Arabic, right to left:
the proof of work in the page, the code e-mail and its step, the confirmation and its convocation."""

import datetime as dt
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
from tests.browser.conftest import _open_page, fill_date
from tests.factories import CounterTypeFactory, ExceptionalOpeningFactory, SiteFactory, days_through, next_weekday
from tests.flow import last_code

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
    fill_date(page, "تاريخ الميلاد", dt.date(1988, 7, 14))
    page.get_by_label("الجنسية").select_option("DZ")
    page.get_by_label(re.compile(r"^رقم الأجنبي")).fill("7599988877")
    page.get_by_label(re.compile(r"^عنوان البريد الإلكتروني")).fill("yacine@example.org")
    page.get_by_label("أكّد عنوان بريدك الإلكتروني").fill("yacine@example.org")
    page.get_by_role("button", name="متابعة").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("المراجعة")
    expect(page.get_by_text(NAME_AR)).to_be_visible()
    # The proof of work runs in the page's Web Worker and says so in Arabic ("Vérification anti-robot terminée.").
    expect(page.get_by_role("status").filter(has_text="روبوت")).to_have_text("انتهى التحقق من أنك لست روبوتًا.")
    certify = page.get_by_text("أشهد بأن المعلومات المدخلة صحيحة.")
    certify.click()
    assert not checkbox_touches_its_label(page, "certify")
    page.get_by_role("button", name="احجز واستلم الرمز").click()  # "Réserver et recevoir le code"

    # The code step, in Arabic, and the code e-mail in Arabic, right to left.
    expect(page.get_by_role("heading", level=1)).to_have_text("افتح بريدك الإلكتروني")  # "Consultez votre messagerie"
    assert html_attributes(page) == ("ar", "rtl")
    [code_email] = mail.outbox
    code = last_code()
    assert code_email.subject == f"رمز تأكيد موعدك: {code}"
    assert "لتأكيد موعدك، أدخل هذا الرمز في صفحة الحجز:" in code_email.body and NAME_AR in code_email.body
    assert '<html lang="ar" dir="rtl">' in code_email.alternatives[0][0]
    page.get_by_label("رمز من 6 أرقام").fill(code)  # "Code à 6 chiffres"
    page.get_by_role("button", name="تأكيد موعدي").click()  # "Confirmer mon rendez-vous"

    expect(page.get_by_role("heading", name="تم تأكيد موعدك")).to_be_visible()
    assert html_attributes(page) == ("ar", "rtl")
    booking = Booking.objects.get()
    assert (booking.language, booking.status) == ("ar", Booking.Status.CONFIRMED)
    expect(page.get_by_text(booking.display_reference)).to_be_visible()

    email = mail.outbox[-1]
    assert len(mail.outbox) == 2
    assert email.subject.startswith("تأكيد موعدك")
    assert NAME_AR in email.body and "جواز سفر ساري المفعول" in email.body
    assert '<html lang="ar" dir="rtl">' in email.alternatives[0][0]
    pdf = next(content for _name, content, mimetype in email.attachments if mimetype == "application/pdf")
    text = unicodedata.normalize("NFKC", PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert "استدعاء" in text and NAME_AR in text and booking.display_reference in text


def checkbox_touches_its_label(page, name: str) -> bool:
    """Whether the drawn box of checkbox `name` (its label's ::before) covers the point just past the label's
    text, on the side the box is: the DSFR leaves a gap there, which a right-to-left page must keep."""
    return page.evaluate(
        """(name) => {
            const label = document.querySelector(`input[name="${name}"] + label`);
            const box = label.getBoundingClientRect();
            const rtl = getComputedStyle(label).direction === "rtl";
            const hit = document.elementFromPoint(rtl ? box.right + 3 : box.left - 3, box.top + 12);
            return hit === label || hit === label.previousElementSibling;
        }""",
        name,
    )


def test_a_staff_member_setting_up_the_second_factor_in_arabic_reads_the_key_left_to_right(
    phone_page, django_user_model
):
    from tests.conftest import STAFF_PASSWORD

    django_user_model.objects.create_user(username="nouvelle", password=STAFF_PASSWORD, is_staff=True)
    page = phone_page
    page.goto("/agents/connexion/")
    open_language_menu(page)
    page.get_by_role("button", name="العربيّة").first.click()
    page.get_by_label("اسم المستخدم").fill("nouvelle")  # "Identifiant"
    page.get_by_label("كلمة المرور").fill(STAFF_PASSWORD)  # "Mot de passe"
    page.get_by_role("button", name="متابعة").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("تفعيل المصادقة الثنائية")
    assert html_attributes(page) == ("ar", "rtl")
    # The key, typed into an app that shows it left to right, starts on the left like there.
    key = page.locator(".otp-secret")
    assert key.evaluate("el => [getComputedStyle(el).direction, getComputedStyle(el).textAlign]") == ["ltr", "left"]
