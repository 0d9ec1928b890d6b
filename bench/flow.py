"""One resident going through the public booking flow over HTTP, as a browser would.

Each `Resident` has its own cookie jar (session, CSRF cookie) and sends the
CSRF token the form carries. The steps are those of booking/urls.py; when the
flow changes (say, an e-mail verification step), this module is the one to
adapt: the benchmarks and the production smoke test only call `attempt()`.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import aiohttp

CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


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
    def __init__(self, base_url: str, *, connector: aiohttp.BaseConnector, timeout: float = 30):
        self.base_url = base_url
        self.session = aiohttp.ClientSession(
            base_url=base_url,
            connector=connector,
            connector_owner=False,
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
            status, _, location = await self.post(path, body, identity(n))
            if status != 302:
                return Outcome(f"http-{status}", self.answers)
            status, body, path = await self.get_following(location)
        if status != 200 or not path.startswith("/rendez-vous/verification/"):
            return Outcome(f"http-{status}", self.answers)
        return body

    async def confirm(self, review_page: bytes) -> Outcome:
        """Tick the box and confirm; then the page a browser is sent to."""
        status, _, location = await self.post("/rendez-vous/verification/", review_page, {"certify": "on"})
        if status != 302 or not location:
            return Outcome(f"http-{status}", self.answers)
        booked = location.startswith("/rendez-vous/confirmation/")
        status, _, _ = await self.get_following(location)  # the confirmation, or the times again: taken meanwhile
        return Outcome(("booked" if booked else "full") if status == 200 else f"http-{status}", self.answers)

    async def attempt(self, *, counter_type_id: int, starts_at: str, day: str, n: int) -> Outcome:
        """The whole flow, up to being booked or told there is no place."""
        review = await self.to_review(counter_type_id=counter_type_id, starts_at=starts_at, day=day, n=n)
        if isinstance(review, Outcome):
            return review
        return await self.confirm(review)
