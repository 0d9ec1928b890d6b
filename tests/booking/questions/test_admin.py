"""Heads of bureau write their sites' reply templates (in every language the site answers in) and topics; those
for every site are the national administrator's. A national administrator's inbox holds every site's questions."""

import pytest
from django.urls import reverse

from booking.questions.models import ReplyTemplate
from tests.conftest import log_in
from tests.factories import SiteFactory

from .conftest import open_question

pytestmark = pytest.mark.django_db


def test_a_head_of_bureau_adds_a_translated_template_for_their_site_only(client, head, site, topic):
    other = SiteFactory(name="Autre préfecture")
    log_in(client, head, sites=[site])
    url = reverse("admin:questions_replytemplate_add")
    form = {
        "title_fr": "Carte prête",
        "body_fr": "Votre carte est prête : {reference}.",
        "body_ar": "بطاقتك جاهزة: {reference}.",
        "topic": topic.pk,
        "position": 0,
    }
    assert client.post(url, form).status_code == 200  # for every site: not theirs to write
    assert client.post(url, {**form, "site": other.pk}).status_code == 200  # another site: not a choice
    assert not ReplyTemplate.objects.exists()
    assert client.post(url, {**form, "site": site.pk}).status_code == 302
    template = ReplyTemplate.objects.get()
    assert (template.site, template.body_ar) == (site, "بطاقتك جاهزة: {reference}.")


def test_an_agent_reads_the_templates_but_does_not_write_them(client, agent, site):
    log_in(client, agent, sites=[site])
    assert client.get(reverse("admin:questions_replytemplate_changelist")).status_code == 200
    assert client.get(reverse("admin:questions_replytemplate_add")).status_code == 403


def test_the_national_administrator_sees_every_sites_questions(client, national_admin, site, topic):
    here = open_question(site, topic, n=1)
    there = open_question(SiteFactory(name="Préfecture de La Réunion"), topic, n=2)
    log_in(client, national_admin, sites=[])
    page = client.get(reverse("staff:questions:inbox")).content.decode()
    assert here.reference in page and there.reference in page
