"""Text in the PDFs (convocation, certificate) in every language of the site.

reportlab draws the glyphs it is given, in the order given, nothing more. So:

- fonts: each language is drawn with a font that has its script (Debian packages, installed by
  `make`); Chinese needs its own. A missing font for a script Helvetica cannot draw is an error
  that names the package, not a PDF of empty boxes;
- Arabic letters are joined (arabic-reshaper) and each line put in display order (python-bidi);
  numbers, references and Latin names inside keep their left-to-right order. Optional vowel marks
  (harakat, such as the shadda) are left out, as reportlab cannot place a mark over its letter;
  Arabic is commonly printed without them;
- a right-to-left page is mirrored: `Page` takes positions measured from the edge where reading
  starts, and places text and images from the right edge when the language is read right to left.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import arabic_reshaper
from bidi import get_display
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas


class MissingFont(RuntimeError):
    """The font a language needs is not installed; the message says which package brings it."""


@dataclass(frozen=True)
class FontFamily:
    regular: str
    bold: str
    regular_file: Path
    bold_file: Path
    package: str  # the Debian package that installs the files


DEJAVU = FontFamily(
    "DejaVuSans",
    "DejaVuSans-Bold",
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    "fonts-dejavu-core",
)
# Latin, Cyrillic and Arabic for every language but Chinese; WenQuanYi has Latin letters and digits too.
WENQUANYI = FontFamily(
    "WenQuanYiMicroHei",
    "WenQuanYiMicroHei",
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    "fonts-wqy-microhei",
)
FAMILIES = {"zh-hans": WENQUANYI}
# Languages whose text Helvetica (Latin-1) can still draw when DejaVu is missing.
LATIN_LANGUAGES = {"fr", "en", "es", "pt", "tr"}


@cache
def fonts_for(language: str) -> tuple[str, str]:
    """The (regular, bold) font names to draw `language` with, registered with reportlab."""
    family = FAMILIES.get(language, DEJAVU)
    if not (family.regular_file.exists() and family.bold_file.exists()):
        if family is DEJAVU and language in LATIN_LANGUAGES:
            return "Helvetica", "Helvetica-Bold"  # names outside Latin-1 will not show; the rest will
        raise MissingFont(
            f"The PDF in '{language}' needs the font {family.regular_file} (Debian package {family.package}): "
            f"apt-get install {family.package}, or run `make install`."
        )
    for name, path in ((family.regular, family.regular_file), (family.bold, family.bold_file)):
        if name not in pdfmetrics.getRegisteredFontNames():
            # A .ttc holds several faces: the first is the regular one.
            pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))
    return family.regular, family.bold


def check_fonts(app_configs=None, **kwargs) -> list:
    """A system check (`manage.py check`, run at start-up): a PDF in a language whose font is missing
    would fail when a resident downloads it or an e-mail is sent; say so before."""
    from django.conf import settings
    from django.core.checks import Warning

    problems = []
    for code, _name in settings.LANGUAGES:
        try:
            fonts_for(code)
        except MissingFont as error:
            problems.append(Warning(str(error), id="booking.W001"))
    return problems


def has_right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def visual(text: str, *, rtl: bool = False) -> str:
    """One line as it must be drawn: Arabic letters joined, right-to-left runs in display order.

    `rtl`: the line belongs to a right-to-left page (its direction is then right to left even when it
    starts with a number or a Latin word); otherwise its first letter decides.
    """
    if not has_right_to_left(text):
        return text
    return get_display(arabic_reshaper.reshape(text), base_dir="R" if rtl else None)


class Page:
    """Draws on a reportlab canvas from the reading side: `x` is the distance from the left edge in a
    left-to-right language, from the right edge in a right-to-left one."""

    def __init__(self, pdf: canvas.Canvas, *, width: float, rtl: bool):
        self.pdf, self.width, self.rtl = pdf, width, rtl

    def font(self, name: str, size: float) -> None:
        self.pdf.setFont(name, size)

    def text(self, x: float, y: float, text: str) -> None:
        if self.rtl:
            self.pdf.drawRightString(self.width - x, y, visual(text, rtl=True))
        else:
            self.pdf.drawString(x, y, visual(text))

    def centred(self, x: float, y: float, text: str) -> None:
        self.pdf.drawCentredString(self.width - x if self.rtl else x, y, visual(text, rtl=self.rtl))

    def image(self, image, x: float, y: float, width: float, height: float) -> None:
        self.pdf.drawImage(image, self.width - x - width if self.rtl else x, y, width, height)

    @staticmethod
    def lines(text: str, font: str, size: float, width: float) -> list[str]:
        """`text` cut into lines that fit `width`, in reading order (each drawn with `text`)."""
        return simpleSplit(text, font, size, width)
