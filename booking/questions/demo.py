"""A realistic week of the information service for the demo (and, larger, for the inbox benchmark).

Nanterre receives about 400 written questions a working day: a week is about 2,000, most answered within a day
or two, some waiting for the resident, some still in the inbox; and its phone service logs a few hundred calls a
day. Rows are written in bulk (this is a picture of a week, not a replay of it): no e-mail is sent.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import connection, transaction
from django.utils import timezone

from booking.references import new_reference
from booking.services.booking import new_token
from counters.models import Site

from .models import Message, PhoneCall, Question, ReplyTemplate, Topic

Status = Question.Status

QUESTIONS = [
    "Mon titre expire le mois prochain : quand dois-je déposer ma demande de renouvellement ?",
    "J'ai déposé mon dossier il y a six semaines, où en est-il ?",
    "J'ai reçu un SMS pour retirer ma carte, faut-il prendre rendez-vous ?",
    "Quels documents apporter pour une première demande ?",
    "Mon récépissé expire avant le rendez-vous, que faire ?",
    "Puis-je échanger mon permis de conduire étranger ?",
    "Je n'arrive pas à trouver de créneau, comment faire ?",
]
REPLIES = [
    "Déposez votre demande deux mois avant l'expiration de votre titre, en ligne.",
    "Votre dossier est en cours d'instruction. Vous recevrez un SMS dès que votre titre sera prêt.",
    "Oui : prenez rendez-vous pour la remise du titre, avec l'avis reçu par SMS.",
]
TEMPLATES = [
    (
        "Dossier en cours d'instruction",
        {
            "fr": "Bonjour,\nVotre dossier {file_number} est en cours d'instruction. Vous recevrez un SMS dès que "
            "votre titre sera prêt.\nRéférence de votre question : {reference}.\n{site}",
            "en": "Hello,\nYour file {file_number} is being processed. You will receive a text message as soon as "
            "your permit is ready.\nReference of your question: {reference}.\n{site}",
            "es": "Hola:\nSu expediente {file_number} está en trámite. Recibirá un SMS en cuanto su permiso esté "
            "listo.\nReferencia de su pregunta: {reference}.\n{site}",
        },
    ),
    (
        "Renouvellement : délai de dépôt",
        {
            "fr": "Bonjour,\nDéposez votre demande de renouvellement dans les deux mois avant l'expiration de votre "
            "titre, en prenant rendez-vous en ligne. Pour toute question : {phone}.",
            "en": "Hello,\nFile your renewal in the two months before your permit expires, by booking an "
            "appointment online. Any question: {phone}.",
        },
    ),
]


def seed_reply_templates() -> None:
    """The demo's saved answers, for every site (idempotent)."""
    topics = {topic.faq_topic: topic for topic in Topic.objects.filter(site__isnull=True)}
    for position, (title, bodies) in enumerate(TEMPLATES, start=1):
        fields = {f"body_{code}": body for code, body in bodies.items()}
        topic = topics.get("renewal") if position == 2 else None
        ReplyTemplate.objects.update_or_create(
            title_fr=title, site=None, defaults={"title": title, "body": bodies["fr"], "topic": topic, **fields}
        )


def bulk_questions(
    *, site: Site, count: int, now: dt.datetime, days: int = 7, seed: int = 12, agents=(), batch: int = 2000
) -> int:
    """`count` questions received over the last `days` at `site`, in every state, with their messages (bulk)."""
    rng = random.Random(seed)
    topics = list(Topic.objects.filter(is_active=True, site__isnull=True)) or [Topic.objects.create(name="Autre")]
    agent_ids = [agent.pk for agent in agents]
    made = 0
    while made < count:
        size = min(batch, count - made)
        questions, bodies = [], []
        for _index in range(size):
            received = now - dt.timedelta(seconds=rng.randrange(days * 24 * 3600))
            questions.append(_question(site, rng.choice(topics), received, now, rng, agent_ids))
            bodies.append(rng.choice(QUESTIONS))
        with transaction.atomic():
            Question.objects.bulk_create(questions, batch_size=1000)
            Message.objects.bulk_create(_messages(questions, bodies, rng, agent_ids), batch_size=2000)
        made += size
    if connection.vendor == "postgresql":
        # Fresh statistics: planned with the table as it was, the inbox would sort every question of a box.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE questions_question, questions_message")
    return made


def _question(site, topic, received, now, rng, agent_ids) -> Question:
    age_hours = (now - received).total_seconds() / 3600
    answered_after = dt.timedelta(hours=rng.choice([1, 3, 6, 20, 30, 44, 70]) * rng.uniform(0.5, 1.5))
    answered = received + answered_after < now and rng.random() < 0.85
    status = Status.OPEN
    if answered:
        status = Status.CLOSED if age_hours > 96 and rng.random() < 0.5 else Status.ANSWERED
    token = new_token()
    return Question(
        reference="Q" + new_reference(),
        token=token,
        verification_token=new_token(),
        verify_before=received,
        verified_at=received,
        site=site,
        topic=topic,
        file_number=f"92-{received:%Y}-{rng.randrange(100000):05d}" if rng.random() < 0.6 else "",
        email=f"usager{rng.randrange(10**8)}@example.org",
        language=rng.choice(["fr"] * 6 + ["en", "ar", "es", "pt", "ru", "tr", "zh-hans"]),
        status=status,
        assigned_to_id=rng.choice(agent_ids) if agent_ids and (answered or rng.random() < 0.3) else None,
        received_at=received,
        first_answered_at=received + answered_after if answered else None,
        last_activity_at=received + answered_after if answered else received,
        closed_at=received + answered_after + dt.timedelta(days=2) if status == Status.CLOSED else None,
        message_count=2 if answered else 1,
        helpful=rng.choice([True, True, True, False, None, None]) if answered else None,
    )


def _messages(questions, bodies, rng, agent_ids) -> list[Message]:
    messages = []
    for question, body in zip(questions, bodies, strict=True):
        messages.append(
            Message(question=question, number=1, author="resident", body=body, created_at=question.received_at)
        )
        if question.first_answered_at:
            messages.append(
                Message(
                    question=question,
                    number=2,
                    author="agent",
                    agent_id=question.assigned_to_id,
                    body=rng.choice(REPLIES),
                    created_at=question.first_answered_at,
                )
            )
    return messages


def bulk_calls(*, site: Site, per_day: int, now: dt.datetime, days: int = 7, seed: int = 12, agents=()) -> int:
    """Calls logged over the last `days` working days, in office hours."""
    rng = random.Random(seed)
    topics = list(Topic.objects.filter(is_active=True, site__isnull=True))
    calls = []
    for back in range(days):
        day = timezone.localtime(now, site.zone).date() - dt.timedelta(days=back)
        if day.weekday() >= 5:
            continue
        opening = dt.datetime.combine(day, dt.time(9), tzinfo=site.zone)
        for _index in range(per_day):
            called_at = opening + dt.timedelta(seconds=rng.randrange(8 * 3600))
            if called_at > now:
                continue
            calls.append(
                PhoneCall(
                    site=site,
                    topic=rng.choice(topics),
                    outcome=rng.choice(["answered"] * 4 + ["transferred"]),
                    agent=rng.choice(agents) if agents else None,
                    called_at=called_at,
                )
            )
    PhoneCall.objects.bulk_create(calls, batch_size=2000)
    return len(calls)


def seed_demo_questions(*, sites: dict[str, Site], agents: dict | None = None, now: dt.datetime | None = None) -> int:
    """The demo's week: about 2,000 questions at Nanterre and 300 at Montpellier, with their calls, handled by
    `agents` (site slug → staff users). Skipped for a site that has questions already (idempotent)."""
    agents = agents or {}
    now = now or timezone.now()
    seed_reply_templates()
    made = 0
    for slug, count, calls in (("hauts-de-seine", 2000, 250), ("herault", 300, 80)):
        site = sites.get(slug)
        if site is None or Question.objects.filter(site=site).exists():
            continue
        made += bulk_questions(site=site, count=count, now=now, agents=agents.get(slug, ()))
        bulk_calls(site=site, per_day=calls, now=now, agents=agents.get(slug, ()))
    return made
