"""The admin is served where DJANGO_ADMIN_PATH says, and nowhere else."""

import importlib.util
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.test_settings import load_settings

URLS = Path(__file__).resolve().parents[2] / "prefecture" / "urls.py"


@pytest.fixture
def moved_admin(settings):
    """The project's URLs as loaded with DJANGO_ADMIN_PATH=gestion-7k2p (the setting read when they load)."""
    settings.ADMIN_PATH = "gestion-7k2p/"
    name = "prefecture._urls_with_moved_admin"
    spec = importlib.util.spec_from_file_location(name, URLS)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    settings.ROOT_URLCONF = name
    yield
    del sys.modules[name]


@pytest.mark.django_db
def test_the_admin_moves_to_the_configured_path(client, moved_admin):
    assert reverse("admin:index") == "/gestion-7k2p/"
    response = client.get("/gestion-7k2p/")
    assert response.status_code == 302 and response["Location"].startswith("/gestion-7k2p/login/")
    assert client.get("/admin/").status_code == 404


def test_the_setting_reads_the_variable_with_or_without_slashes():
    for value in ("gestion-7k2p", "/gestion-7k2p/"):
        result = load_settings(show="settings.ADMIN_PATH", DJANGO_ADMIN_PATH=value)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "gestion-7k2p/"
    assert load_settings(show="settings.ADMIN_PATH").stdout.strip() == "admin/"


def test_an_empty_admin_path_is_refused():
    result = load_settings(DJANGO_ADMIN_PATH="/")
    assert result.returncode != 0 and "DJANGO_ADMIN_PATH" in result.stderr
