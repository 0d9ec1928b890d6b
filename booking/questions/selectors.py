"""Reads of the information service: FAQ suggestions, the staff inbox and a thread, reply templates."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from counters.models import Site
from counters.staff_sites.selectors import filter_for_staff, list_sites_for, sees_all_sites
from prefecture.models import FaqEntry
from prefecture.selectors import list_faq_entries

from .models import Message, Note, Question, ReplyTemplate, Topic

Status = Question.Status
INBOX_PAGE = 25
# A box's count stops here ("1000+"): counting further would read every question of a large backlog.
COUNT_CAP = 1000
SUGGESTIONS = 5
WORD_RE = re.compile(r"\w{4,}")


def _words(text: str) -> set[str]:
    """The words of `text` worth matching: four letters or more, lower case, without accents."""
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return set(WORD_RE.findall(plain))


def suggest_faq_entries(
    *, site: Site | None, topic: Topic | None, text: str, limit: int = SUGGESTIONS
) -> list[FaqEntry]:
    """The published FAQ entries that may answer the question before it is sent: those of the topic's FAQ
    theme first, then those sharing the most words with the text (in the language the page is read in)."""
    wanted = _words(text)
    scored = []
    for position, entry in enumerate(list_faq_entries(site=site)):
        shared = len(wanted & _words(f"{entry.question} {entry.answer}"))
        same_topic = bool(topic and topic.faq_topic and entry.topic == topic.faq_topic)
        score = shared + (3 if same_topic else 0)
        if score:
            scored.append((-score, position, entry))
    return [entry for *_key, entry in sorted(scored, key=lambda item: item[:2])[:limit]]


def get_question_by_token(*, token: str) -> Question | None:
    return (
        Question.objects.select_related("site", "topic")
        .prefetch_related(Prefetch("messages", queryset=Message.objects.order_by("number")))
        .filter(token=token)
        .exclude(status=Status.PENDING)
        .first()
    )


def get_pending_by_verification_token(*, token: str) -> Question | None:
    return Question.objects.select_related("site", "topic").filter(verification_token=token).first()


# The inbox's boxes: which questions each holds.
class Box:
    UNASSIGNED = "unassigned"
    MINE = "mine"
    WAITING = "waiting"
    CLOSED = "closed"
    ALL = (UNASSIGNED, MINE, WAITING, CLOSED)


def _box_filter(box: str, user) -> Q:
    return {
        Box.UNASSIGNED: Q(status=Status.OPEN, assigned_to__isnull=True),
        Box.MINE: Q(status=Status.OPEN, assigned_to=user),
        Box.WAITING: Q(status=Status.ANSWERED),
        Box.CLOSED: Q(status=Status.CLOSED),
    }[box]


def staff_questions(user) -> QuerySet[Question]:
    """The questions of `user`'s sites that reached the team (address proved).

    The sites are read first and named in the query (`site_id IN (…)`), so that PostgreSQL walks the inbox's
    index of each site in order, rather than joining a subquery and sorting every question."""
    questions = Question.objects.exclude(status=Status.PENDING)
    if sees_all_sites(user):
        return questions
    return questions.filter(site_id__in=list(list_sites_for(user).values_list("pk", flat=True)))


@dataclass(frozen=True)
class InboxPage:
    questions: list[Question]
    counts: dict[str, int]
    page: int
    has_next: bool


def list_inbox(*, user, box: str, site: Site | None = None, topic: Topic | None = None, page: int = 1) -> InboxPage:
    """One box of the inbox, oldest first, a page at a time, with the count of each box (same filters)."""
    base = staff_questions(user)
    if site is not None:
        base = base.filter(site=site)
    if topic is not None:
        base = base.filter(topic=topic)
    # One bounded count per box, each along its index.
    counts = {
        name: base.filter(_box_filter(name, user)).order_by().values("pk")[: COUNT_CAP + 1].count() for name in Box.ALL
    }
    start = (page - 1) * INBOX_PAGE
    rows = list(
        base.filter(_box_filter(box, user))
        .select_related("site", "topic", "assigned_to")
        .only(
            "reference",
            "status",
            "received_at",
            "last_activity_at",
            "message_count",
            "file_number",
            "site__name",
            "topic__name",
            *[f"topic__name_{code}" for code in _languages()],
            "assigned_to__username",
            "assigned_to__first_name",
            "assigned_to__last_name",
        )
        .order_by("received_at", "pk")[start : start + INBOX_PAGE + 1]
    )
    return InboxPage(rows[:INBOX_PAGE], counts, page, len(rows) > INBOX_PAGE)


def _languages() -> list[str]:
    from django.conf import settings

    return [code.replace("-", "_") for code, _name in settings.LANGUAGES]


def get_thread(*, user, reference: str) -> Question | None:
    """A question of `user`'s sites with its messages and notes (another site's: None, as unknown)."""
    return (
        staff_questions(user)
        .select_related("site", "topic", "assigned_to", "booking")
        .prefetch_related(
            Prefetch("messages", queryset=Message.objects.select_related("agent").order_by("number")),
            Prefetch("notes", queryset=Note.objects.select_related("agent")),
        )
        .filter(reference=reference)
        .first()
    )


def list_reply_templates(question: Question) -> QuerySet[ReplyTemplate]:
    """The saved answers for the question's topic and site (and those for any topic or site)."""
    return ReplyTemplate.objects.filter(
        Q(topic__isnull=True) | Q(topic=question.topic_id), Q(site__isnull=True) | Q(site=question.site_id)
    )


def list_topics_for_staff(user) -> QuerySet[Topic]:
    return Topic.objects.filter(is_active=True).filter(
        Q(site__isnull=True) | Q(site__in=filter_for_staff(Site.objects.all(), user))
    )
