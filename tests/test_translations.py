"""The interface exists in English too: every string translated, pages served in the visitor's language."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("booking", "counters", "attestations", "transparency", "prefecture", "templates", "locale", "manage.py")


def po_entries(po: Path):
    for block in po.read_text().split("\n\n")[1:]:  # the first block is the header
        if block.lstrip().startswith("#~"):
            continue  # obsolete entry
        msgstrs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, re.M)
        yield block, ["".join(re.findall(r'"(.*)"', s)) for s in msgstrs]


def test_every_string_of_the_interface_is_translated_into_english(tmp_path):
    """Extract the strings from a copy of the sources, as `makemessages` would for a translator."""
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "-v0"],
        cwd=tmp_path,
        env=env,
        check=True,
    )
    entries = list(po_entries(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    untranslated = [block for block, strings in entries if not strings or not all(strings)]
    fuzzy = [block for block, _ in entries if "#, fuzzy" in block]
    assert len(entries) > 400
    assert untranslated == [] and fuzzy == []


@pytest.mark.django_db
def test_a_visitor_reading_english_gets_english_pages(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en"' in page
    assert "Choose your procedure" in page


@pytest.mark.django_db
def test_the_language_switch_changes_the_language_and_comes_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/rendez-vous/"})
    assert response.status_code == 302 and response.url == "/rendez-vous/"
    assert "Choose the procedure" in client.get("/rendez-vous/").content.decode()
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert "Choisissez votre démarche" in client.get("/").content.decode()
