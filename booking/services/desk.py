"""Writes made by accueil agents: check-in, outcome of the appointment and undoing a mistaken one,
bookings for callers; and, beside each, the check deciding whether it is allowed."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import IntegrityError, models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from counters.models import CounterType, Handover, Site
from counters.selectors import day_bounds

from ..eligibility import Answers
from ..exceptions import AlreadyCheckedIn, NotOnAppointmentDay, StatusChangeRefused
from ..models import Booking, Channel
from .booking import PersonData, _has_active_booking, book_appointment

STAFF_CHANNELS = (Channel.PHONE, Channel.DESK)
Status = Booking.Status


class DeskAction(models.TextChoices):
    """What an agent may do to a booking at the desk; the value is the action's URL segment."""

    CHECK_IN = "arrivee", gettext_lazy("Enregistrer l'arrivée")
    DONE = "termine", gettext_lazy("Terminé")
    NO_SHOW = "absent", gettext_lazy("Absent")
    UNDO_CHECK_IN = "annuler-arrivee", gettext_lazy("Annuler l'arrivée")
    UNDO_NO_SHOW = "annuler-absence", gettext_lazy("Annuler l'absence")


# One check per transition, beside the service that makes it. Each raises a named error with a
# message to show as is; the service calls it again under the row lock, and the staff pages
# call it (through allowed_desk_actions) to decide which buttons to show.


def _site_time_zone(booking: Booking) -> ZoneInfo:
    return ZoneInfo(booking.counter_type.site.time_zone)


def _appointment_day(booking: Booking) -> dt.date:
    return booking.slot.starts_at.astimezone(_site_time_zone(booking)).date()


def _is_appointment_day(booking: Booking, now: dt.datetime) -> bool:
    """Whether `now` falls on the appointment's day, in the site's time zone."""
    return _appointment_day(booking) == now.astimezone(_site_time_zone(booking)).date()


def _refuse(booking: Booking, wanted: str) -> StatusChangeRefused:
    return StatusChangeRefused(
        _("Le rendez-vous %(reference)s est « %(status)s » : il ne peut pas être marqué « %(wanted)s ».")
        % {"reference": booking.display_reference, "status": booking.get_status_display(), "wanted": wanted}
    )


def _not_today(booking: Booking, message: str) -> NotOnAppointmentDay:
    day = formats.date_format(_appointment_day(booking), "l j F Y")
    return NotOnAppointmentDay(message % {"reference": booking.display_reference, "day": day})


def check_booking_check_in(*, booking: Booking, now: dt.datetime) -> None:
    """An arrival is recorded once, for a confirmed appointment, on its day."""
    if booking.status == Status.CHECKED_IN:
        raise AlreadyCheckedIn(booking, time_zone=_site_time_zone(booking))
    if booking.status != Status.CONFIRMED:
        raise _refuse(booking, Status.CHECKED_IN.label)
    if not _is_appointment_day(booking, now):
        raise _not_today(booking, _("Le rendez-vous %(reference)s est prévu le %(day)s, pas aujourd'hui."))


def check_booking_done(*, booking: Booking, now: dt.datetime | None = None) -> None:
    """Only someone who has arrived can be received."""
    if booking.status != Status.CHECKED_IN:
        raise _refuse(booking, Status.DONE.label)


def check_booking_no_show(*, booking: Booking, now: dt.datetime) -> None:
    """Absent: a confirmed appointment that has started."""
    if booking.status != Status.CONFIRMED:
        raise _refuse(booking, Status.NO_SHOW.label)
    if booking.slot.starts_at > now:
        raise StatusChangeRefused(
            _("Le rendez-vous %(reference)s n'a pas encore commencé : il ne peut pas être marqué absent.")
            % {"reference": booking.display_reference}
        )


def check_undo_check_in(*, booking: Booking, now: dt.datetime) -> None:
    """A mistaken arrival is undone on the appointment's day, before the person is received."""
    if booking.status != Status.CHECKED_IN:
        raise StatusChangeRefused(
            _("Le rendez-vous %(reference)s est « %(status)s » : il n'y a pas d'arrivée à annuler.")
            % {"reference": booking.display_reference, "status": booking.get_status_display()}
        )
    if not _is_appointment_day(booking, now):
        raise _not_today(booking, _("L'arrivée ne s'annule que le jour du rendez-vous %(reference)s, le %(day)s."))


def check_undo_no_show(*, booking: Booking, now: dt.datetime) -> None:
    """A mistaken absence is undone on the appointment's day."""
    if booking.status != Status.NO_SHOW:
        raise StatusChangeRefused(
            _("Le rendez-vous %(reference)s est « %(status)s » : il n'y a pas d'absence à annuler.")
            % {"reference": booking.display_reference, "status": booking.get_status_display()}
        )
    if not _is_appointment_day(booking, now):
        raise _not_today(booking, _("L'absence ne s'annule que le jour du rendez-vous %(reference)s, le %(day)s."))


DESK_CHECKS = {
    DeskAction.CHECK_IN: check_booking_check_in,
    DeskAction.DONE: check_booking_done,
    DeskAction.NO_SHOW: check_booking_no_show,
    DeskAction.UNDO_CHECK_IN: check_undo_check_in,
    DeskAction.UNDO_NO_SHOW: check_undo_no_show,
}


def allowed_desk_actions(booking: Booking, *, now: dt.datetime) -> list[DeskAction]:
    """What the rules let an agent do with this booking at `now`, in the order of DeskAction."""
    allowed = []
    for action, check in DESK_CHECKS.items():
        try:
            check(booking=booking, now=now)
        except StatusChangeRefused:
            continue
        allowed.append(action)
    return allowed


def _locked(booking: Booking) -> Booking:
    rows = Booking.objects.select_for_update(of=("self",)).select_related("slot", "counter_type__site")
    return rows.get(pk=booking.pk)


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
    check_booking_check_in(booking=booking, now=now)
    booking.status = Status.CHECKED_IN
    booking.checked_in_at = now
    return _save(booking, agent, ["status", "checked_in_at"])


@transaction.atomic
def mark_booking_done(*, booking: Booking, agent, handed_over: bool = False) -> Booking:
    """The person has been received; `handed_over` when the procedure's receipt or permit was given."""
    booking = _locked(booking)
    check_booking_done(booking=booking)
    handover = booking.counter_type.handover
    booking.status = Status.DONE
    booking.handed_over = handover if handed_over and handover != Handover.NOTHING else ""
    return _save(booking, agent, ["status", "handed_over"])


@transaction.atomic
def mark_booking_no_show(*, booking: Booking, agent, now: dt.datetime | None = None) -> Booking:
    """The person did not come: only once the appointment has started."""
    now = now or timezone.now()
    booking = _locked(booking)
    check_booking_no_show(booking=booking, now=now)
    booking.status = Status.NO_SHOW
    return _save(booking, agent, ["status"])


@transaction.atomic
def undo_check_in(*, booking: Booking, agent, now: dt.datetime | None = None) -> Booking:
    """Back to « Confirmé », the only status an arrival is recorded from; the audit trail keeps both."""
    now = now or timezone.now()
    booking = _locked(booking)
    check_undo_check_in(booking=booking, now=now)
    booking.status = Status.CONFIRMED
    booking.checked_in_at = None
    return _save(booking, agent, ["status", "checked_in_at"])


@transaction.atomic
def undo_no_show(*, booking: Booking, agent, now: dt.datetime | None = None) -> Booking:
    """Back to « Confirmé », the only status an absence is recorded from.

    Active again, the booking meets the one-active-booking-per-person rule: if the person has
    booked the same procedure since, the database refuses, and so does this service.
    """
    now = now or timezone.now()
    booking = _locked(booking)
    check_undo_no_show(booking=booking, now=now)
    booking.status = Status.CONFIRMED
    try:
        with transaction.atomic():
            return _save(booking, agent, ["status"])
    except IntegrityError:
        if not _has_active_booking(
            counter_type=booking.counter_type, foreigner_key=booking.foreigner_key, passport_key=booking.passport_key
        ):
            raise
        raise StatusChangeRefused(
            _(
                "Cette personne a pris depuis un autre rendez-vous pour cette démarche : l'absence au "
                "rendez-vous %(reference)s ne peut pas être annulée."
            )
            % {"reference": booking.display_reference}
        ) from None


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
