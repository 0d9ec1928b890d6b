"""A booking in progress, kept in the visitor's session between the steps."""

from __future__ import annotations

import base64
import datetime as dt
import secrets

from django.utils.crypto import salted_hmac

from .eligibility import Answers

SESSION_KEY = "booking_draft"


class BookingDraft:
    def __init__(self, session):
        self.session = session
        self.data = dict(session.get(SESSION_KEY) or {})

    def save(self) -> None:
        self.session[SESSION_KEY] = self.data

    def clear(self) -> None:
        self.session.pop(SESSION_KEY, None)
        self.data = {}

    def start(self, counter_type_id: int) -> None:
        person = self.data.get("person")  # someone starting over keeps what they typed
        self.data = {"requested_type": counter_type_id, "person": person}
        self.save()

    @property
    def requested_type_id(self) -> int | None:
        return self.data.get("requested_type")

    @property
    def counter_type_id(self) -> int | None:
        return self.data.get("type")

    def set_counter_type(self, counter_type_id: int, *, answers: Answers, notice: str = "") -> None:
        self.data.update(
            type=counter_type_id,
            application_kind=answers.application_kind,
            permit_expires_on=answers.permit_expires_on.isoformat() if answers.permit_expires_on else None,
            card_ready=answers.card_ready,
            notice=notice,
            starts_at=None,
        )
        self.save()

    @property
    def answers(self) -> Answers:
        """The eligibility answers, handed to the booking service, which checks them against the chosen day."""
        value = self.data.get("permit_expires_on")
        return Answers(
            application_kind=self.data.get("application_kind") or "",
            permit_expires_on=dt.date.fromisoformat(value) if value else None,
            card_ready=bool(self.data.get("card_ready")),
        )

    @property
    def notice(self) -> str:
        return self.data.get("notice", "")

    @property
    def starts_at(self) -> dt.datetime | None:
        value = self.data.get("starts_at")
        return dt.datetime.fromisoformat(value) if value else None

    @starts_at.setter
    def starts_at(self, value: dt.datetime | None) -> None:
        self.data["starts_at"] = value.isoformat() if value else None
        self.save()

    @property
    def person(self) -> dict | None:
        return self.data.get("person")

    @person.setter
    def person(self, cleaned: dict) -> None:
        self.data["person"] = {
            key: value.isoformat() if isinstance(value, dt.date) else value for key, value in cleaned.items()
        }
        self.save()

    def person_initial(self) -> dict:
        return dict(self.person or {})


PENDING_KEY = "pending_hold"
_SEAL_LENGTH = 32


def _keystream(nonce: bytes) -> bytes:
    return salted_hmac("booking.draft.pending-hold", nonce.hex(), algorithm="sha256").digest()


def seal_booking_id(booking_id: int | None) -> str:
    """The hold's id, or none, as an opaque string: the same length and look either way.

    With sessions in a signed cookie (SESSION_IN_COOKIE) the visitor can read
    their session; an id in clear, or its absence, would tell them whether the
    person already had a booking. A one-time pad from an HMAC keystream (a
    random nonce per hold) hides it; the session's signature keeps it intact.
    """
    nonce = secrets.token_bytes(16)
    plain = str(booking_id or 0).encode().rjust(_SEAL_LENGTH, b" ")
    cipher = bytes(a ^ b for a, b in zip(plain, _keystream(nonce), strict=True))
    return base64.urlsafe_b64encode(nonce + cipher).decode()


def unseal_booking_id(sealed: str) -> int | None:
    try:
        raw = base64.urlsafe_b64decode(sealed.encode())
        nonce, cipher = raw[:16], raw[16:]
        plain = bytes(a ^ b for a, b in zip(cipher, _keystream(nonce), strict=True))
        return int(plain.decode().strip()) or None
    except (ValueError, TypeError, UnicodeDecodeError):
        return None


class PendingCode:
    """What waits for an e-mailed code, in the session of whoever asked: a hold, a lottery registration,
    a waiting-list entry (each subclass its own session key and limit prefix).

    `subject_id` is None when nothing was made because the person already had
    one (a booking, a registration, an entry): the page and its answers are
    then the same as for a real one (the code typed never matches), so that
    nobody learns from them whether a person has an appointment, or asked for
    one; and so is the session itself, even when the visitor can read it (the
    id is sealed, wrong codes are counted here for both, as they are on the
    subject too when there is one).
    """

    session_key = ""
    limit_prefix = ""

    def __init__(self, session):
        self.session = session
        self.data = dict(session.get(self.session_key) or {})

    def start(self, *, subject_id: int | None, email: str, expires_at: dt.datetime, time_zone: str) -> None:
        self.data = {
            "hold": seal_booking_id(subject_id),
            "email": email,
            "expires_at": expires_at.isoformat(),
            "time_zone": time_zone,
            "wrong": 0,
            "id": secrets.token_hex(8),
        }
        self.session[self.session_key] = self.data

    def clear(self) -> None:
        self.session.pop(self.session_key, None)
        self.data = {}

    @property
    def exists(self) -> bool:
        return bool(self.data)

    @property
    def subject_id(self) -> int | None:
        return unseal_booking_id(self.data.get("hold", ""))

    @property
    def email(self) -> str:
        return self.data.get("email", "")

    @property
    def expires_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.data["expires_at"])

    @property
    def time_zone(self) -> str:
        return self.data.get("time_zone") or "Europe/Paris"

    @property
    def limit_key(self) -> str:
        """What the limits per subject count: the subject, or this session when there is none."""
        subject_id = self.subject_id
        return f"{self.limit_prefix}:{subject_id}" if subject_id else f"pending:{self.data.get('id', '')}"

    def count_wrong_code(self) -> int:
        self.data["wrong"] = self.data.get("wrong", 0) + 1
        self.session[self.session_key] = self.data
        return self.data["wrong"]


class PendingHold(PendingCode):
    """The hold waiting for its code."""

    session_key = PENDING_KEY
    limit_prefix = "booking"

    @property
    def booking_id(self) -> int | None:
        return self.subject_id
