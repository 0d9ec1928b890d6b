"""Writes made by accueil agents: check-in, outcome of the appointment, bookings for callers."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from counters.models import CounterType, Handover, Site
from counters.selectors import day_bounds

from ..eligibility import Answers
from ..exceptions import NotOnAppointmentDay, StatusChangeRefused
from ..models import Booking, Channel
from .booking import PersonData, book_appointment

STAFF_CHANNELS = (Channel.PHONE, Channel.DESK)


def _locked(booking: Booking) -> Booking:
    rows = Booking.objects.select_for_update(of=("self",)).select_related("slot", "counter_type__site")
    return rows.get(pk=booking.pk)


def _refuse(booking: Booking, wanted: str) -> StatusChangeRefused:
    return StatusChangeRefused(
        _("Le rendez-vous %(reference)s est « %(status)s » : il ne peut pas être marqué « %(wanted)s ».")
        % {"reference": booking.display_reference, "status": booking.get_status_display(), "wanted": wanted}
    )


def _save(booking: Booking, agent, fields: list[str]) -> Booking:
    if agent is not None:
        booking._history_user = agent
    booking.save(update_fields=[*fields, "updated_at"])
    return booking


@transaction.atomic
def check_in_booking(*, booking: Booking, agent, now: dt.datetime | None = None) -> Booking:
    """Record that the person has arrived, on the day of the appointment only."""
    now = now or timezone.now()
    booking = _locked(booking)
    if booking.status != Booking.Status.CONFIRMED:
        raise _refuse(booking, Booking.Status.CHECKED_IN.label)
    tz = ZoneInfo(booking.counter_type.site.time_zone)
    day = booking.slot.starts_at.astimezone(tz).date()
    if day != now.astimezone(tz).date():
        raise NotOnAppointmentDay(
            _("Le rendez-vous %(reference)s est prévu le %(day)s, pas aujourd'hui.")
            % {"reference": booking.display_reference, "day": formats.date_format(day, "l j F Y")}
        )
    booking.status = Booking.Status.CHECKED_IN
    booking.checked_in_at = now
    return _save(booking, agent, ["status", "checked_in_at"])


@transaction.atomic
def mark_booking_done(*, booking: Booking, agent, handed_over: bool = False) -> Booking:
    """The person has been received; `handed_over` when the procedure's receipt or permit was given."""
    booking = _locked(booking)
    if booking.status != Booking.Status.CHECKED_IN:
        raise _refuse(booking, Booking.Status.DONE.label)
    handover = booking.counter_type.handover
    booking.status = Booking.Status.DONE
    booking.handed_over = handover if handed_over and handover != Handover.NOTHING else ""
    return _save(booking, agent, ["status", "handed_over"])


@transaction.atomic
def mark_booking_no_show(*, booking: Booking, agent, now: dt.datetime | None = None) -> Booking:
    """The person did not come: only once the appointment has started."""
    now = now or timezone.now()
    booking = _locked(booking)
    if booking.status != Booking.Status.CONFIRMED:
        raise _refuse(booking, Booking.Status.NO_SHOW.label)
    if booking.slot.starts_at > now:
        raise StatusChangeRefused(
            _("Le rendez-vous %(reference)s n'a pas encore commencé : il ne peut pas être marqué absent.")
            % {"reference": booking.display_reference}
        )
    booking.status = Booking.Status.NO_SHOW
    return _save(booking, agent, ["status"])


@transaction.atomic
def mark_no_shows_for_day(*, day: dt.date, sites=None) -> int:
    """Mark absent every appointment of `day` (each site's day) never checked in. Idempotent; returns how many.

    One save per booking, not a bulk UPDATE, so that each change is in the
    audit trail; a day is a few hundred rows, once a day.
    """
    marked = 0
    for site in Site.objects.all() if sites is None else sites:
        start, end = day_bounds(day, ZoneInfo(site.time_zone))
        bookings = Booking.objects.select_for_update().filter(
            status=Booking.Status.CONFIRMED,
            counter_type__site=site,
            slot__starts_at__gte=start,
            slot__starts_at__lt=end,
        )
        for booking in bookings.order_by("pk"):
            booking.status = Booking.Status.NO_SHOW
            _save(booking, None, ["status"])
            marked += 1
    return marked


# From this hour (the site's), whoever did not come today is marked absent.
NO_SHOW_HOUR = dt.time(20, 0)


def mark_no_shows_of_ended_days(*, now: dt.datetime | None = None) -> int:
    """For each site, mark absent the appointments of its last ended day never checked in.

    A site's day has ended at NO_SHOW_HOUR in its own time zone: today once
    that hour has passed there, yesterday before (which also catches a missed
    run). Run every hour, it reaches Cayenne, Paris and Saint-Denis de La
    Réunion each after their own evening. Idempotent.
    """
    now = now or timezone.now()
    marked = 0
    for site in Site.objects.all():
        local = now.astimezone(site.zone)
        day = local.date() if local.time() >= NO_SHOW_HOUR else local.date() - dt.timedelta(days=1)
        marked += mark_no_shows_for_day(day=day, sites=[site])
    return marked


def book_for_caller(
    *,
    counter_type: CounterType,
    starts_at: dt.datetime,
    person: PersonData,
    channel: Channel,
    agent,
    answers: Answers | None = None,
    language: str = "fr",
    now: dt.datetime | None = None,
) -> Booking:
    """An agent books for a person on the phone or at the desk: same rules, plus the reserved places."""
    if channel not in STAFF_CHANNELS:
        raise ValueError(f"Not a staff channel: {channel}")
    return book_appointment(
        counter_type=counter_type,
        starts_at=starts_at,
        person=person,
        channel=channel,
        language=language,
        answers=answers,
        agent=agent,
        staff=True,
        now=now,
    )
