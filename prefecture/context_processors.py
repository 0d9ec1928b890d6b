from django.utils import translation
from django.utils.translation import gettext_lazy as _

# What django-dsfr's base template reads, given without a database query per page.
SITE_CONFIG = {
    "site_title": _("Rendez-vous en préfecture"),
    "site_tagline": _("Titres de séjour et accueil des étrangers"),
    "header_brand_html": "Préfet<br>de la région<br>et du département",
    "footer_brand_html": "Préfet<br>de la région<br>et du département",
    "footer_description": _(
        "Prise de rendez-vous au bureau du séjour : dépôt et renouvellement de titres de séjour, remise de titres, "
        "échange de permis de conduire."
    ),
    "mourning": False,
    "beta_tag": False,
}


def site_identity(request):
    return {"SITE_CONFIG": SITE_CONFIG}


def page_without_request(language: str) -> dict:
    """What base.html reads, for a page rendered without a request (the 503 pages): the site's identity,
    the language and its direction (Arabic is read right to left), as the context processors give them."""
    return {
        "SITE_CONFIG": SITE_CONFIG,
        "LANGUAGE_CODE": language,
        "LANGUAGE_BIDI": translation.get_language_info(language)["bidi"],
    }
