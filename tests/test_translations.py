"""The interface exists in every shipped language: every string translated, pages served in the visitor's language.

The catalogue test extracts the strings from a copy of the sources, as `make translations` would,
so that a string added to the code without its translations fails here, in every language.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import to_locale

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("booking", "counters", "prefecture", "templates", "locale", "manage.py")
SHIPPED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# What must survive translation unchanged: Python placeholders, the literal %, and HTML tags.
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%|</?[a-z]+")


def _strings(block: str, keyword: str) -> dict[str, str]:
    """{"": text} for `msgstr`, {"0": text, "1": …} for `msgstr[n]`, from one entry of a .po file."""
    found = re.findall(rf'^{keyword}(?:\[(\d)\])? ((?:".*"\n?)+)', block, re.M)
    return {index: "".join(re.findall(r'"(.*)"', text)) for index, text in found}


def po_entries(po: Path):
    """(block, msgid, msgid_plural, {form: msgstr}) for each live entry; the header is skipped."""
    for block in po.read_text().split("\n\n")[1:]:
        if block.lstrip().startswith("#~"):
            continue  # obsolete entry
        msgid, plural = _strings(block, "msgid").get(""), _strings(block, "msgid_plural").get("")
        yield block, msgid, plural, _strings(block, "msgstr")


def plural_count(po: Path) -> int:
    return int(re.search(r"nplurals=(\d+)", po.read_text()).group(1))


def catalogue_problems(po: Path) -> list[str]:
    """Every entry of `po` that a reader would see wrong: untranslated, fuzzy, placeholders or tags that
    differ from the French, or a plural without one form per plural of the language."""
    problems, forms = [], plural_count(po)
    for block, msgid, plural, msgstrs in po_entries(po):
        wanted = sorted(PLACEHOLDER.findall(plural or msgid))
        if not msgstrs or not all(msgstrs.values()):
            problems.append(f"untranslated: {msgid!r}")
        elif "#, fuzzy" in block:
            problems.append(f"fuzzy: {msgid!r}")
        elif plural is not None and len(msgstrs) != forms:
            problems.append(f"{len(msgstrs)} plural forms instead of {forms}: {msgid!r}")
        elif any(sorted(PLACEHOLDER.findall(text)) != wanted for text in msgstrs.values()):
            problems.append(f"placeholders differ: {msgid!r} → {list(msgstrs.values())!r}")
    return problems


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The catalogues of every shipped language, brought up to date with a copy of the sources."""
    copy = tmp_path_factory.mktemp("sources")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(source, copy / name)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    # The copy has no tests/ package: the project's own settings, still without any .env.
    env.update(DJANGO_SETTINGS_MODULE="prefecture.settings", DJANGO_ENV_FILE=os.devnull)
    languages = [arg for code in SHIPPED for arg in ("-l", to_locale(code))]
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", *languages, "--no-obsolete", "-v0"], cwd=copy, env=env, check=True
    )
    return {code: copy / "locale" / to_locale(code) / "LC_MESSAGES" / "django.po" for code in SHIPPED}


def test_the_site_ships_french_english_arabic_and_at_least_four_more_languages():
    assert settings.LANGUAGE_CODE == "fr" and settings.LANGUAGES[0][0] == "fr"
    assert {"en", "ar"} <= set(SHIPPED) and len(SHIPPED) >= 6
    for code in SHIPPED:
        assert (ROOT / "locale" / to_locale(code) / "LC_MESSAGES" / "django.po").exists(), code


@pytest.mark.parametrize("language", SHIPPED)
def test_every_string_of_the_interface_is_translated(extracted, language):
    po = extracted[language]
    assert len(list(po_entries(po))) > 600
    assert catalogue_problems(po) == []


@pytest.mark.parametrize("language", SHIPPED)
def test_every_shipped_catalogue_passes_gettexts_own_check(language):
    po = ROOT / "locale" / to_locale(language) / "LC_MESSAGES" / "django.po"
    result = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(po)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_catalogue_check_finds_each_kind_of_mistake(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=3; plural=(n%10==1 ? 0 : n%10>=2 ? 1 : 2);\\n"\n\n'
        'msgid "Bonjour %(name)s,"\nmsgstr "Здравствуйте!"\n\n'
        'msgid "Démarche : <strong>%(name)s</strong>"\nmsgstr "Услуга: %(name)s"\n\n'
        '#, fuzzy\nmsgid "Référence"\nmsgstr "Reference"\n\n'
        'msgid "Vérifier"\nmsgstr ""\n\n'
        'msgid "%(days)s jour"\nmsgid_plural "%(days)s jours"\nmsgstr[0] "%(days)s день"\nmsgstr[1] "%(days)s дня"\n\n'
        'msgid "Fermer"\nmsgstr "Закрыть"\n'
    )
    problems = catalogue_problems(po)
    assert [problem.split(":")[0] for problem in problems] == [
        "placeholders differ",
        "placeholders differ",
        "fuzzy",
        "untranslated",
        "2 plural forms instead of 3",
    ]


@pytest.mark.django_db
def test_a_visitor_reading_english_gets_english_pages(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en" dir="ltr"' in page
    assert "Choose your procedure" in page


@pytest.mark.django_db
def test_an_arabic_page_is_laid_out_right_to_left_with_its_mirroring_stylesheet(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl"' in page
    assert "اختر إجراءك" in page  # "Choisissez votre démarche"
    assert "css/rtl.css" in page
    assert "css/rtl.css" not in client.get("/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()


@pytest.mark.django_db
def test_the_language_switch_changes_the_language_and_comes_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/rendez-vous/"})
    assert response.status_code == 302 and response.url == "/rendez-vous/"
    assert "Choose the procedure" in client.get("/rendez-vous/").content.decode()
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert "Choisissez votre démarche" in client.get("/").content.decode()


@pytest.mark.django_db
def test_every_page_offers_every_language_named_in_itself_through_a_form_without_javascript(client):
    page = client.get("/informations-pratiques/").content.decode()
    switches = re.findall(r'<form action="/i18n/setlang/" method="post">(.*?)</form>', page, re.S)
    assert len(switches) >= 2  # in the header and in the footer
    for switch in switches:
        buttons = re.findall(r'name="language" value="([^"]+)" lang="([^"]+)"[^>]*>([^<]+)<', switch)
        assert [code for code, _lang, _name in buttons] == [code for code, _name in settings.LANGUAGES]
        assert all(code == lang for code, lang, _name in buttons)
        names = {code: name for code, _lang, name in buttons}
        assert names["ar"] == "العربيّة" and names["zh-hans"] == "简体中文" and names["ru"] == "Русский"


def test_the_language_choice_is_remembered_for_a_year():
    assert settings.LANGUAGE_COOKIE_AGE >= 365 * 24 * 3600
