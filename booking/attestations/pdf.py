"""The certificate as a printable A4 PDF: the stored facts, the verification link and its QR code.

The PDF is drawn afresh from the stored record at each download, in the
reader's language (laid out from the right in a right-to-left one); what it
certifies is the record, which the verification page shows. A PDF whose text
was edited therefore disagrees with that page.
"""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import formats
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from booking.pdf_text import Page, fonts_for

from .models import AttemptCertificate


def verification_url(certificate: AttemptCertificate) -> str:
    return settings.SITE_URL + reverse("attestations:verify-code", kwargs={"code": certificate.display_code})


def pdf_filename(certificate: AttemptCertificate) -> str:
    return f"attestation-{certificate.display_code}.pdf"


def qr_png(text: str) -> bytes:
    """A regular QR code (never a micro one, which phones do not all read)."""
    buffer = io.BytesIO()
    segno.make_qr(text, error="m").save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()


def certified_statement(certificate: AttemptCertificate) -> str:
    return _(
        "Le service de prise de rendez-vous en ligne atteste qu'au moment indiqué ci-dessous, aucun créneau "
        "n'était proposé à la réservation pour la démarche « %(procedure)s » (%(site)s), sur toute la période "
        "pendant laquelle cette démarche se réserve en ligne."
    ) % {"procedure": certificate.procedure_name, "site": certificate.site_name}


def certificate_rows(certificate: AttemptCertificate) -> list[tuple[str, str]]:
    """The facts, as label and value, for the PDF and the verification page alike."""
    issued_at = certificate.issued_at.astimezone(ZoneInfo(certificate.time_zone))
    rows = [
        (_("Démarche"), certificate.procedure_name),
        (_("Site"), certificate.site_name),
        (
            _("Constaté le"),
            _("%(date)s à %(time)s, heure locale (%(zone)s)")
            % {
                "date": formats.date_format(issued_at, "j F Y"),
                "time": formats.time_format(issued_at, "H:i"),
                "zone": certificate.time_zone,
            },
        ),
        (
            _("Période recherchée"),
            _("du %(start)s au %(end)s")
            % {
                "start": formats.date_format(certificate.searched_from, "j F Y"),
                "end": formats.date_format(certificate.searched_until, "j F Y"),
            },
        ),
    ]
    if certificate.declared_name:
        rows.append((_("Nom déclaré"), certificate.declared_name))
    elif certificate.name_erased:
        rows.append((_("Nom déclaré"), _("effacé à l'issue de la durée de conservation")))
    rows.append((_("Code de vérification"), certificate.display_code))
    return rows


def build_certificate_pdf(certificate: AttemptCertificate) -> bytes:
    regular, bold = fonts_for(get_language() or settings.LANGUAGE_CODE)
    url = verification_url(certificate)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(_("Attestation de tentative de prise de rendez-vous — %(code)s") % {"code": certificate.display_code})
    pdf.setAuthor(certificate.site_name)
    width, height = A4
    page = Page(pdf, width=width, rtl=get_language_bidi())
    left, text_width = 2 * cm, width - 4 * cm
    y = height - 2.5 * cm

    page.font(bold, 12)
    page.text(left, y, certificate.site_name)
    y -= 1.4 * cm
    page.font(bold, 18)
    for line in page.lines(_("Attestation de tentative de prise de rendez-vous"), bold, 18, text_width):
        page.text(left, y, line)
        y -= 0.8 * cm
    y -= 0.4 * cm
    page.font(regular, 11)
    for line in page.lines(certified_statement(certificate), regular, 11, text_width):
        page.text(left, y, line)
        y -= 0.55 * cm
    y -= 0.6 * cm
    for label, value in certificate_rows(certificate):
        page.font(bold, 11)
        page.text(left, y, label)
        page.font(regular, 11)
        for line in page.lines(value, regular, 11, text_width - 5 * cm):
            page.text(left + 5 * cm, y, line)
            y -= 0.6 * cm
        y -= 0.2 * cm

    qr_size = 4.5 * cm
    y -= 0.4 * cm + qr_size
    page.image(ImageReader(io.BytesIO(qr_png(url))), left, y, qr_size, qr_size)
    beside = left + qr_size + 0.5 * cm
    page.font(bold, 11)
    page.text(beside, y + qr_size - 0.8 * cm, _("Vérifier cette attestation"))
    page.font(bold, 16)
    page.text(beside, y + qr_size - 1.6 * cm, certificate.display_code)
    page.font(regular, 9)
    verify_lines = page.lines(url, regular, 9, text_width - qr_size - 0.5 * cm)
    verify_lines += page.lines(
        _("Le lien, ou le code sur la page %(page)s, affiche les informations enregistrées par la préfecture.")
        % {"page": settings.SITE_URL + reverse("attestations:verify")},
        regular,
        9,
        text_width - qr_size - 0.5 * cm,
    )
    line_y = y + qr_size - 2.3 * cm
    for line in verify_lines:
        page.text(beside, line_y, line)
        line_y -= 0.45 * cm

    notes = [
        _(
            "Une attestation n'est authentique que si la page de vérification affiche les mêmes informations. "
            "Elle ne vaut pas rendez-vous."
        ),
    ]
    if certificate.declared_name:
        notes.append(_("Le nom est celui que la personne a saisi : la préfecture ne l'a pas vérifié."))
    page.font(regular, 9)
    y = 2.5 * cm
    for note in notes:
        for line in page.lines(note, regular, 9, text_width):
            page.text(left, y, line)
            y -= 0.45 * cm
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
