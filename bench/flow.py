"""One resident going through the public booking flow over HTTP, as a browser would.

Each `Resident` has its own cookie jar (session, CSRF cookie), sends the CSRF
token the form carries, solves the proof of work the review step asks for
(as the page's script does, at full CPU, with the altcha library), and reads
the 6-digit code from its mailbox: the files the production layout writes its
e-mails to on this machine (`Mailbox`). Each resident may come from its own
loopback address (`resident_address`), as people come from their own
connections: the limits per IP then count each of them apart. The steps are
those of booking/urls.py; when the flow changes, this module is the one to
adapt: the benchmarks and the production smoke test only call `attempt()`.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import altcha

CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
CODE_LINE = re.compile(r"^ {4}(\d{6})\s*$", re.MULTILINE)  # templates/emails/verification.txt
SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # between two messages in a file of Django's file backend


def resident_address(n: int) -> str:
    """A loopback address of its own for resident `n` (127.10.x.y: Linux routes all of 127/8 to lo)."""
    return f"127.10.{n // 250 % 250}.{n % 250 + 1}"


def solve_proof(challenge: dict) -> str:
    """The payload the page's script (static/js/antibot.js) would send: the altcha library's own solver."""
    parsed = altcha.Challenge.from_dict(challenge)
    solution = altcha.solve_challenge(parsed, timeout=120)
    if solution is None:
        raise RuntimeError("proof of work not solved")
    return altcha.Payload(parsed, solution).to_base64()


class Mailbox:
    """The codes e-mailed to each address, read from the folder Django's file e-mail backend writes to."""

    POLL_S = 0.1

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)
        self.sizes: dict[str, int] = {}
        self.codes: dict[str, str] = {}
        self.read_at = 0.0  # one reading of the folder at a time, at most every POLL_S, for every waiting resident
        self.reading: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None

    def _read(self) -> None:
        try:
            entries = list(os.scandir(self.folder))
        except FileNotFoundError:
            return
        for entry in entries:
            size = entry.stat().st_size
            if self.sizes.get(entry.name) == size:
                continue
            self.sizes[entry.name] = size
            for raw in Path(entry.path).read_bytes().split(SEPARATOR):
                self._note(email.message_from_bytes(raw.strip(b"\n"), policy=email.policy.default))

    def _note(self, message) -> None:
        body = message.get_body(preferencelist=("plain",)) if message.is_multipart() else message
        text = body.get_content() if body is not None else ""
        match = CODE_LINE.search(text)
        if match and message["To"]:
            self.codes[str(message["To"]).strip().lower()] = match.group(1)

    async def refresh(self) -> None:
        """Read the new files, unless another resident just did (hundreds may be waiting at once)."""
        loop = asyncio.get_running_loop()
        if self.reading is None or self.reading[0] is not loop:  # a lock serves one event loop only
            self.reading = (loop, asyncio.Lock())
        async with self.reading[1]:
            if time.monotonic() - self.read_at >= self.POLL_S:
                await asyncio.to_thread(self._read)
                self.read_at = time.monotonic()

    async def code_for(self, address: str, *, timeout: float = 120) -> str | None:
        """The code e-mailed to `address`, once its e-mail is written (people wait minutes for one: the
        hold lasts 15; in a rush the worker also renders every confirmation's PDF in between)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            await self.refresh()
            if address.lower() in self.codes:
                return self.codes.pop(address.lower())
            await asyncio.sleep(self.POLL_S)
        return None


@dataclass
class Answer:
    status: int
    ms: float
    retry_after: str | None = None


@dataclass
class Outcome:
    """What one attempt came to: booked, full (told there is no place), or refused with a status."""

    result: str
    answers: list[Answer] = field(default_factory=list)


def identity(n: int) -> dict[str, str]:
    return {
        "last_name": "Banc",
        "first_names": f"Essai {n}",
        "birth_date": "1990-01-01",
        "nationality": "MA",
        "foreigner_number": f"{8000000000 + n}",
        "passport_number": "",
        "email": f"resident{n}@example.org",
        "email_confirmation": f"resident{n}@example.org",
        "phone": "",
    }


class Resident:
    def __init__(
        self,
        base_url: str,
        *,
        mailbox: Mailbox,
        connector: aiohttp.BaseConnector | None = None,
        address: str | None = None,
        timeout: float = 30,
    ):
        """Through a shared `connector`, or from a loopback `address` of its own (with its own connector)."""
        self.base_url = base_url
        self.mailbox = mailbox
        self.email = ""
        own = connector is None
        if own:
            connector = aiohttp.TCPConnector(limit=0, local_addr=(address, 0) if address else None)
        self.session = aiohttp.ClientSession(
            base_url=base_url,
            connector=connector,
            connector_owner=own,
            cookie_jar=aiohttp.CookieJar(unsafe=True),  # cookies for 127.0.0.1, as a browser keeps them
            timeout=aiohttp.ClientTimeout(total=timeout),
        )
        self.answers: list[Answer] = []

    async def close(self) -> None:
        await self.session.close()

    async def request(self, method: str, path: str, **kwargs) -> tuple[int, bytes, str | None]:
        """One request (redirects are followed as separate requests); returns status, body, Location."""
        started = time.perf_counter()
        async with self.session.request(method, path, allow_redirects=False, **kwargs) as response:
            body = await response.read()
            self.answers.append(
                Answer(response.status, (time.perf_counter() - started) * 1000, response.headers.get("Retry-After"))
            )
            return response.status, body, response.headers.get("Location")

    async def get_following(self, path: str) -> tuple[int, bytes, str]:
        """GET, following redirects one request at a time; returns the final status, body and path."""
        for _ in range(5):
            status, body, location = await self.request("GET", path)
            if status not in (301, 302, 303) or not location:
                return status, body, path
            path = location
        return status, body, path

    async def post(self, path: str, body: bytes, data: dict[str, str]) -> tuple[int, bytes, str | None]:
        match = CSRF_INPUT.search(body)
        token = match.group(1).decode() if match else ""
        return await self.request("POST", path, data={**data, "csrfmiddlewaretoken": token})

    async def to_review(self, *, counter_type_id: int, starts_at: str, day: str, n: int) -> Outcome | bytes:
        """Start the procedure, pick the time, give an identity: the review page, or how it ended before."""
        self.answers = []
        status, body, path = await self.get_following(f"/rendez-vous/demarche/{counter_type_id}/")
        if status == 200 and path.startswith("/rendez-vous/demarche/"):
            return Outcome("full", self.answers)  # the procedure's first page says no place is left
        if status != 200 or not path.startswith("/rendez-vous/creneau/"):
            return Outcome(f"http-{status}", self.answers)
        if starts_at.encode() not in body and f"jour={day}".encode() in body:
            status, body, path = await self.get_following(f"/rendez-vous/creneau/?jour={day}")  # the day, clicked
        if status != 200 or starts_at.encode() not in body:
            return Outcome("full", self.answers)  # the page shows no place left at that time
        status, body, location = await self.post(path, body, {"jour": day, "starts_at": starts_at})
        if status != 302:
            return Outcome("full" if status == 200 else f"http-{status}", self.answers)
        status, body, path = await self.get_following(location)
        if status == 200 and path.startswith("/rendez-vous/coordonnees/"):
            person = identity(n)
            self.email = person["email"]
            status, _, location = await self.post(path, body, person)
            if status != 302:
                return Outcome(f"http-{status}", self.answers)
            status, body, path = await self.get_following(location)
        if status != 200 or not path.startswith("/rendez-vous/verification/"):
            return Outcome(f"http-{status}", self.answers)
        return body

    async def proof(self, purpose: str) -> str | None:
        """Fetch a challenge as the page's script does and solve it (in a thread: the loop goes on)."""
        status, body, _ = await self.request("GET", f"/anti-robot/defi/{purpose}/")
        if status != 200:
            return None
        return await asyncio.to_thread(solve_proof, json.loads(body))

    async def confirm(self, review_page: bytes) -> Outcome:
        """Prove the work, tick the box: the place is held; then type the e-mailed code: it is booked."""
        payload = await self.proof("hold")
        if payload is None:
            return Outcome(f"http-{self.answers[-1].status}", self.answers)
        data = {"certify": "on", "altcha": payload}
        status, _, location = await self.post("/rendez-vous/verification/", review_page, data)
        if status != 302 or not location:
            return Outcome(f"http-{status}", self.answers)
        if not location.startswith("/rendez-vous/code/"):
            status, _, _ = await self.get_following(location)  # the times again: taken meanwhile
            return Outcome("full" if status == 200 else f"http-{status}", self.answers)
        status, page, path = await self.get_following(location)
        code = await self.mailbox.code_for(self.email)
        if status != 200 or code is None:
            return Outcome(f"http-{status}" if status != 200 else "no-code", self.answers)
        status, _, location = await self.post(path, page, {"code": code})
        if status != 302 or not location or not location.startswith("/rendez-vous/confirmation/"):
            return Outcome(f"http-{status}", self.answers)
        status, _, _ = await self.get_following(location)
        return Outcome("booked" if status == 200 else f"http-{status}", self.answers)

    async def attempt(self, *, counter_type_id: int, starts_at: str, day: str, n: int) -> Outcome:
        """The whole flow, up to being booked or told there is no place."""
        review = await self.to_review(counter_type_id=counter_type_id, starts_at=starts_at, day=day, n=n)
        if isinstance(review, Outcome):
            return review
        return await self.confirm(review)
