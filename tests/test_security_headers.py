"""Every page carries a strict Content-Security-Policy and a Permissions-Policy; no template needs inline code."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import log_in
from tests.factories import SlotFactory

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: sources for name, *sources in (part.split() for part in policy.split(";") if part.strip())}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/rendez-vous/", "/informations-pratiques/", "/mon-rendez-vous/lien-perdu/", "/page-inconnue/"]
)
def test_public_pages_send_a_strict_content_security_policy(client, path):
    response = client.get(path)
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_staff_pages_and_files_send_it_too(client, agent):
    SlotFactory()
    log_in(client, agent)
    for name in ("staff:agenda", "staff:check-in", "staff:book"):
        assert "script-src 'self'" in client.get(reverse(name))["Content-Security-Policy"]


@pytest.mark.django_db
def test_pages_refuse_the_browser_features_the_site_never_uses(client):
    policy = client.get("/")["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


# What a Content-Security-Policy without 'unsafe-inline' blocks in a page.
INLINE = {
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "style element": re.compile(r"<style[\s>]", re.I),
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I),
    "javascript: link": re.compile(r"javascript:", re.I),
}


def test_no_page_template_holds_inline_script_or_style():
    """E-mails are not web pages: their inline styles are what mail clients read."""
    found = []
    for template in TEMPLATES.rglob("*.html"):
        if "emails" in template.relative_to(TEMPLATES).parts:
            continue
        source = template.read_text()
        name = template.relative_to(TEMPLATES)
        found += [f"{name}: {what}" for what, pattern in INLINE.items() if pattern.search(source)]
    assert found == []
