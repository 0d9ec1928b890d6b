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
import functools
import json
import os
import re
import threading
import time
from collections import Counter
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import altcha

CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
CODE_LINE = re.compile(r"^ {4}(\d{6})\s*$", re.MULTILINE)  # templates/emails/verification.txt, lottery_code.txt
# The link of an e-mail giving a held place to confirm (templates/emails/lottery_drawn.txt), not of a code e-mail.
CONFIRM_LINK = re.compile(r"^https?://[^/\s]+(/rendez-vous/valider/[\w-]+/)\s*$", re.MULTILINE)
SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # between two messages in a file of Django's file backend


def resident_address(n: int) -> str:
    """A loopback address of its own for resident `n` (127.10.x.y: Linux routes all of 127/8 to lo)."""
    return f"127.10.{n // 250 % 250}.{n % 250 + 1}"


def solve_proof(challenge: dict, *, timeout: float = 120) -> str:
    """The payload the page's script (static/js/antibot.js) would send: the altcha library's own solver."""
    parsed = altcha.Challenge.from_dict(challenge)
    solution = altcha.solve_challenge(parsed, timeout=timeout)
    if solution is None:
        raise RuntimeError("proof of work not solved")
    return altcha.Payload(parsed, solution).to_base64()


def solve_timed(challenge: dict, *, timeout: float = 120) -> tuple[str, float]:
    """solve_proof, and the CPU seconds it took (this thread's: waiting for a core is not counted)."""
    started = time.thread_time()
    payload = solve_proof(challenge, timeout=timeout)
    return payload, time.thread_time() - started


class Mailbox:
    """What was e-mailed to each address, read from the folder Django's file e-mail backend writes to.

    The codes (and the links of places to confirm) waiting to be used, and how many messages each address
    received (`received`). Files older than `since` (a Unix time: an earlier phase's) are not read. Many
    residents may wait at once: the folder is read by one of them at a time, at most every 0.1 s.
    """

    def __init__(self, folder: Path | str, *, since: float = 0):
        self.folder = Path(folder)
        self.since = since
        self.sizes: dict[str, int] = {}
        self.codes: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.received: Counter[str] = Counter()
        self._seen: set[tuple[str, int]] = set()  # messages counted (file, position)
        self._used: set[tuple[str, int]] = set()  # messages whose code or link was noted
        self._reading = threading.Lock()
        self._read_at = 0.0

    def _read(self) -> None:
        if not self._reading.acquire(blocking=False):
            return  # another resident is reading it now
        try:
            if time.monotonic() - self._read_at < 0.1:
                return
            self._read_folder()
            self._read_at = time.monotonic()
        finally:
            self._reading.release()

    def _read_folder(self) -> None:
        try:
            entries = list(os.scandir(self.folder))
        except FileNotFoundError:
            return
        for entry in entries:
            stat = entry.stat()
            if stat.st_mtime < self.since or self.sizes.get(entry.name) == stat.st_size:
                continue
            self.sizes[entry.name] = stat.st_size
            for position, raw in enumerate(Path(entry.path).read_bytes().split(SEPARATOR)):
                message = email.message_from_bytes(raw.strip(b"\n"), policy=email.policy.default)
                self._note(message, (entry.name, position))

    def _note(self, message, where: tuple[str, int]) -> None:
        if not message["To"] or where in self._used:
            return
        to = str(message["To"]).strip().lower()
        if where not in self._seen:
            self._seen.add(where)
            self.received[to] += 1
        body = message.get_body(preferencelist=("plain",)) if message.is_multipart() else message
        text = body.get_content() if body is not None else ""
        if match := CODE_LINE.search(text):
            self.codes[to] = match.group(1)
            self._used.add(where)
        elif match := CONFIRM_LINK.search(text):
            self.links[to] = match.group(1)
            self._used.add(where)

    async def code_for(self, address: str, *, timeout: float = 120) -> str | None:
        """The code e-mailed to `address`, once its e-mail is written (people wait minutes for one: the
        hold lasts 15; in a rush the worker also renders every confirmation's PDF in between)."""
        return await self._wait(self.codes, address, timeout)

    async def link_for(self, address: str, *, timeout: float = 30) -> str | None:
        """The path of the link to confirm a place given to `address` (a lottery's draw)."""
        return await self._wait(self.links, address, timeout)

    async def _wait(self, found: dict[str, str], address: str, timeout: float) -> str | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            await asyncio.to_thread(self._read)
            if address.lower() in found:
                return found.pop(address.lower())
            await asyncio.sleep(0.1)
        return None

    def read_all(self) -> None:
        """Read the folder now (the counts of `received` up to date)."""
        with self._reading:
            self._read_folder()


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


def identity(n: int, *, email: str | None = None) -> dict[str, str]:
    email = email or f"resident{n}@example.org"
    return {
        "last_name": "Banc",
        "first_names": f"Essai {n}",
        "birth_date": "1990-01-01",
        "nationality": "MA",
        "foreigner_number": f"{8000000000 + n}",
        "passport_number": "",
        "email": email,
        "email_confirmation": email,
        "phone": "",
    }


class Resident:
    def __init__(
        self,
        base_url: str,
        *,
        mailbox: Mailbox | None = None,
        connector: aiohttp.BaseConnector | None = None,
        address: str | None = None,
        timeout: float = 30,
        solve_timeout: float = 120,
        executor: Executor | None = None,
        code_timeout: float = 30,
    ):
        """Through a shared `connector`, or from a loopback `address` of its own (with its own connector).
        Without a `mailbox`, it can go through the pages but not type a code.

        A proof of work not solved within `solve_timeout` seconds raises RuntimeError; proofs are solved in
        `executor`'s threads (default: the loop's, shared by every resident). The e-mailed code is awaited
        `code_timeout` seconds."""
        self.base_url = base_url
        self.mailbox = mailbox
        self.email = ""
        self.solve_timeout = solve_timeout
        self.executor = executor
        self.code_timeout = code_timeout
        self.proofs: list[tuple[int, float]] = []  # (level, CPU seconds) of each proof of work solved
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

    async def to_review(
        self, *, counter_type_id: int, starts_at: str, day: str, n: int, email: str | None = None
    ) -> Outcome | bytes:
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
            person = identity(n, email=email)
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
        challenge = json.loads(body)
        level = challenge.get("parameters", {}).get("data", {}).get("level", 0)
        solve = functools.partial(solve_timed, challenge, timeout=self.solve_timeout)
        payload, seconds = await asyncio.get_running_loop().run_in_executor(self.executor, solve)
        self.proofs.append((level, seconds))
        return payload

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
        code = await self.mailbox.code_for(self.email, timeout=self.code_timeout) if self.mailbox else None
        if status != 200 or code is None:
            return Outcome(f"http-{status}" if status != 200 else "no-code", self.answers)
        status, _, location = await self.post(path, page, {"code": code})
        if status != 302 or not location or not location.startswith("/rendez-vous/confirmation/"):
            return Outcome(f"http-{status}", self.answers)
        status, _, _ = await self.get_following(location)
        return Outcome("booked" if status == 200 else f"http-{status}", self.answers)

    async def attempt(
        self, *, counter_type_id: int, starts_at: str, day: str, n: int, email: str | None = None
    ) -> Outcome:
        """The whole flow, up to being booked or told there is no place."""
        review = await self.to_review(counter_type_id=counter_type_id, starts_at=starts_at, day=day, n=n, email=email)
        if isinstance(review, Outcome):
            return review
        return await self.confirm(review)

    # --- a lottery opening (booking/lottery/urls.py) ------------------------------------------------

    async def register_for_lottery(
        self, *, opening_id: int, counter_type_id: int, n: int, email: str | None = None
    ) -> Outcome:
        """Register for the draw (the form, its proof of work), then type the e-mailed code: "registered"."""
        self.answers = []
        status, body, path = await self.get_following(f"/tirage/{opening_id}/inscription/{counter_type_id}/")
        if status != 200:
            return Outcome(f"http-{status}", self.answers)
        payload = await self.proof("lottery")
        if payload is None:
            return Outcome(f"http-{self.answers[-1].status}", self.answers)
        person = identity(n, email=email)
        self.email = person["email"]
        status, _, location = await self.post(path, body, {**person, "certify": "on", "altcha": payload})
        if status != 302 or not location:
            return Outcome(f"http-{status}", self.answers)
        status, page, path = await self.get_following(location)
        code = await self.mailbox.code_for(self.email, timeout=self.code_timeout) if self.mailbox else None
        if status != 200 or code is None:
            return Outcome(f"http-{status}" if status != 200 else "no-code", self.answers)
        status, _, location = await self.post(path, page, {"code": code})
        if status != 302 or not location or not location.startswith("/tirage/mon-inscription/"):
            return Outcome(f"http-{status}", self.answers)
        status, _, _ = await self.get_following(location)
        return Outcome("registered" if status == 200 else f"http-{status}", self.answers)

    async def confirm_by_link(self, path: str) -> Outcome:
        """Open the e-mail's link to a place given (drawn), press its button: "booked"."""
        self.answers = []
        status, page, path = await self.get_following(path)
        if status != 200:
            return Outcome(f"http-{status}", self.answers)
        status, _, location = await self.post(path, page, {})
        if status != 302 or not location:
            return Outcome(f"http-{status}", self.answers)
        status, _, _ = await self.get_following(location)
        return Outcome("booked" if status == 200 else f"http-{status}", self.answers)
