"""Files sent with the e-mails and offered on the manage page: .ics and the PDF convocation."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from prefecture.dates import long_date

from ..models import Booking
from ..pdf_text import Page, fonts_for


def booking_language(booking: Booking) -> str:
    """The language the resident booked in, or French when the site no longer offers it: e-mails,
    the PDF and the .ics are written in it, whatever language the page that asks for them is in."""
    try:
        return translation.get_supported_language_variant(booking.language)
    except LookupError:
        return settings.LANGUAGE_CODE


def mail_domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">").strip() or "localhost"


def local_start(booking: Booking):
    """The appointment's start in its site's time zone, the hour the resident must come at."""
    return booking.slot.starts_at.astimezone(booking.counter_type.site.zone)


def counter_label(booking: Booking) -> str:
    return booking.slot.counter.label if booking.slot.counter_id else _("Indiqué à l'accueil")


def ics_filename(booking: Booking) -> str:
    return f"rendez-vous-{booking.reference}.ics"


def pdf_filename(booking: Booking) -> str:
    return f"convocation-{booking.reference}.pdf"


def build_ics(booking: Booking, *, cancelled: bool = False) -> bytes:
    """One event, same UID for the life of the booking, SEQUENCE = its version (+1 once cancelled).

    A calendar that imported the first file replaces the event with a later
    one (moved) or removes it (cancelled). Written in the booking's language.
    """
    with translation.override(booking_language(booking)):
        return _build_ics(booking, cancelled=cancelled)


def _build_ics(booking: Booking, *, cancelled: bool) -> bytes:
    site = booking.counter_type.site
    calendar = Calendar()
    calendar.add("prodid", "-//Prefecture//Rendez-vous//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", f"booking-{booking.reference}@{mail_domain()}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", booking.slot.starts_at)
    event.add("dtend", booking.slot.ends_at)
    event.add("sequence", booking.version + 1 if cancelled else booking.version)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("summary", _("Rendez-vous en préfecture : %(procedure)s") % {"procedure": booking.counter_type.name})
    event.add("location", f"{site.name}, {site.full_address}")
    lines = [_("Référence : %(reference)s") % {"reference": booking.display_reference}]
    if booking.counter_type.documents and not cancelled:
        lines.append(_("Pièces à apporter :"))
        lines += [f"- {document}" for document in booking.counter_type.documents]
    event.add("description", "\n".join(lines))
    calendar.add_component(event)
    return calendar.to_ical()


def qr_png(text: str) -> bytes:
    """A regular QR code: segno would pick a Micro QR for so short a text, which most phones and many
    desk scanners cannot read."""
    buffer = io.BytesIO()
    segno.make_qr(text, error="m").save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()


def build_convocation_pdf(booking: Booking) -> bytes:
    """A printable A4 page for the desk: who, when, where, what to bring, and a QR of the reference.

    In the booking's language, laid out from the right for a right-to-left one (pdf_text.Page).
    """
    language = booking_language(booking)
    with translation.override(language):
        return _draw_convocation(booking, fonts=fonts_for(language), rtl=translation.get_language_bidi())


def _draw_convocation(booking: Booking, *, fonts: tuple[str, str], rtl: bool) -> bytes:
    regular, bold = fonts
    site = booking.counter_type.site
    starts_at = local_start(booking)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    title = _("Convocation — rendez-vous %(reference)s") % {"reference": booking.display_reference}
    pdf.setTitle(title)
    pdf.setAuthor(site.name)
    width, height = A4
    page = Page(pdf, width=width, rtl=rtl)
    start, y = 2 * cm, height - 2.5 * cm

    page.font(bold, 12)
    page.text(start, y, site.name)
    y -= 1.4 * cm
    page.font(bold, 22)
    page.text(start, y, _("Convocation"))
    y -= 1.2 * cm
    page.font(regular, 11)
    page.text(start, y, _("Référence"))
    y -= 0.9 * cm
    page.font(bold, 26)
    page.text(start, y, booking.display_reference)

    qr_size = 5 * cm
    qr_start = width - 2 * cm - qr_size  # at the end of the line: on the left in a right-to-left page
    page.image(ImageReader(io.BytesIO(qr_png(booking.reference))), qr_start, height - 8 * cm, qr_size, qr_size)
    page.font(regular, 9)
    page.centred(qr_start + qr_size / 2, height - 8.4 * cm, _("À présenter à l'accueil"))

    y -= 1.6 * cm
    rows = [
        (_("Nom"), f"{booking.last_name.upper()} {booking.first_names}"),
        (_("Démarche"), booking.counter_type.name),
        (_("Date"), long_date(starts_at)),
        (_("Heure"), formats.time_format(starts_at, "H:i")),
        (_("Guichet"), counter_label(booking)),
        (_("Adresse"), f"{site.name}, {site.full_address}"),
    ]
    for label, value in rows:
        page.font(bold, 11)
        page.text(start, y, label)
        page.font(regular, 11)
        for line in page.lines(value, regular, 11, width - 4 * cm - 4 * cm):
            page.text(start + 4 * cm, y, line)
            y -= 0.6 * cm
        y -= 0.2 * cm

    if booking.counter_type.documents:
        y -= 0.6 * cm
        page.font(bold, 13)
        page.text(start, y, _("Pièces à apporter"))
        y -= 0.8 * cm
        page.font(regular, 11)
        for document in booking.counter_type.documents:
            for index, line in enumerate(page.lines(document, regular, 11, width - 5 * cm)):
                page.text(start, y, ("• " if index == 0 else "  ") + line)
                y -= 0.6 * cm
            if y < 4 * cm:
                break

    page.font(regular, 9)
    notes = [
        _("Présentez-vous 10 minutes avant l'heure, avec cette convocation (imprimée ou sur votre téléphone)."),
        _("La prise de rendez-vous est gratuite : ne payez jamais quelqu'un pour l'obtenir."),
    ]
    y = 2.5 * cm
    for note in notes:
        for line in page.lines(note, regular, 9, width - 4 * cm):
            page.text(start, y, line)
            y -= 0.45 * cm
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
