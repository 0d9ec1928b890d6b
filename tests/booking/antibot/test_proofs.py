"""The proof of work and the ticket without JavaScript: accepted when genuine and hard enough, and only once."""

import base64
import json
import socket
import time

import altcha
import pytest
from django.urls import reverse

from booking.antibot import pow as pow_module
from booking.antibot import tickets
from booking.antibot.pow import ProofRefused, difficulty, issue_challenge, verify_proof
from booking.antibot.replay import purge_redeemed_proofs, redeem
from booking.antibot.tickets import TooEarly, check_ticket, issue_ticket
from booking.models import RedeemedProof
from prefecture.ratelimit import limiter
from tests.antibot import proof, solve

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def edited(payload: str, change) -> str:
    """The payload with its challenge's parameters changed as an attacker would, the signature kept."""
    data = json.loads(base64.b64decode(payload))
    change(data["challenge"]["parameters"])
    return base64.b64encode(json.dumps(data).encode()).decode()


def test_a_solved_challenge_is_accepted_once():
    payload = proof("hold")
    accepted = verify_proof(payload, purpose="hold")
    redeem(accepted)
    assert accepted.kind == "pow"
    with pytest.raises(ProofRefused) as replayed:
        redeem(verify_proof(payload, purpose="hold"))
    assert replayed.value.reason == "replayed"


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p.update(expiresAt=p["expiresAt"] + 10**6),  # made to last, as in CVE-2025-68113
        lambda p: p.update(cost=1 if p["cost"] != 1 else 2),
        lambda p: p["data"].update(level=9),
        lambda p: p["data"].update(purpose="lost-link"),
        lambda p: p.update(keyPrefix="0"),
    ],
)
def test_a_challenge_altered_after_signing_is_refused(change):
    with pytest.raises(ProofRefused) as refused:
        verify_proof(edited(proof("hold"), change), purpose="hold")
    assert refused.value.reason == "invalid"


def test_a_wrong_solution_is_refused():
    challenge = altcha.Challenge.from_dict(issue_challenge(purpose="hold"))
    wrong = altcha.Payload(challenge, altcha.Solution(counter=1, derived_key="00" * 32)).to_base64()
    with pytest.raises(ProofRefused) as refused:
        verify_proof(wrong, purpose="hold")
    assert refused.value.reason == "invalid"


def test_an_expired_challenge_is_refused(monkeypatch, settings):
    payload = proof("hold")
    later = time.time() + settings.POW_CHALLENGE_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(ProofRefused) as refused:
        verify_proof(payload, purpose="hold")
    assert refused.value.reason == "expired"


def test_a_challenge_without_an_expiry_is_refused_even_if_signed():
    parameters = issue_challenge(purpose="hold")["parameters"]
    unsigned_expiry = altcha.create_challenge(
        pow_module.ALGORITHM,
        parameters["cost"],
        key_prefix=parameters["keyPrefix"],
        data=parameters["data"],
        hmac_secret=pow_module.hmac_secret(),
    )
    with pytest.raises(ProofRefused) as refused:
        verify_proof(solve(unsigned_expiry.to_dict()), purpose="hold")
    assert refused.value.reason == "expired"


def test_a_proof_for_another_form_or_too_easy_is_refused():
    with pytest.raises(ProofRefused) as other_form:
        verify_proof(proof("certificate"), purpose="hold")
    with pytest.raises(ProofRefused) as too_easy:
        verify_proof(proof("hold", level=1), purpose="hold", min_level=2)
    assert (other_form.value.reason, too_easy.value.reason) == ("wrong_purpose", "too_easy")
    assert verify_proof(proof("hold", level=3), purpose="hold", min_level=2).kind == "pow"


@pytest.mark.parametrize("junk", ["", "x", "é" * 10, "e30=", "W10=", "bnVsbA==", "A" * 5000, base64.b64encode(b"{}")])
def test_junk_is_refused_as_malformed_or_invalid(junk):
    junk = junk.decode() if isinstance(junk, bytes) else junk
    with pytest.raises(ProofRefused) as refused:
        verify_proof(junk, purpose="hold")
    assert refused.value.reason in {"malformed", "invalid"}


def test_each_level_doubles_the_expected_work(settings):
    settings.POW_COST = 2000

    def work(level):
        cost, prefix = difficulty(level)
        return cost * 16 ** len(prefix)  # iterations per try × expected tries

    assert [work(level) // work(0) for level in range(9)] == [1, 2, 4, 8, 16, 32, 64, 128, 256]
    # Verifying stays cheap: one derivation, at most 8 × POW_COST iterations.
    assert max(difficulty(level)[0] for level in range(30)) == 8 * 2000


def test_a_ticket_is_accepted_only_after_its_wait_and_once(monkeypatch, settings):
    settings.POW_SLOW_PATH_SECONDS = 30
    opened = 1_800_000_000
    monkeypatch.setattr(time, "time", lambda: opened)
    ticket = issue_ticket(purpose="hold")
    monkeypatch.setattr(time, "time", lambda: opened + 12)
    with pytest.raises(TooEarly) as early:
        check_ticket(ticket, purpose="hold")
    assert (early.value.wait, early.value.seconds) == (30, 18 + 1)  # rounded up
    # Harder at a higher level, like the proof of work.
    monkeypatch.setattr(time, "time", lambda: opened + 31)
    with pytest.raises(TooEarly):
        check_ticket(ticket, purpose="hold", level=1)
    accepted = check_ticket(ticket, purpose="hold")
    redeem(accepted)
    with pytest.raises(ProofRefused):
        redeem(check_ticket(ticket, purpose="hold"))
    monkeypatch.setattr(time, "time", lambda: opened + tickets.TICKET_LIFETIME + 1)
    with pytest.raises(ProofRefused) as stale:
        check_ticket(ticket, purpose="hold")
    assert stale.value.reason == "expired"


def test_a_forged_or_misdirected_ticket_is_refused():
    ticket = issue_ticket(purpose="lost-link")
    with pytest.raises(ProofRefused) as misdirected:
        check_ticket(ticket, purpose="hold")
    with pytest.raises(ProofRefused) as forged:
        check_ticket(ticket[:-3] + "abc", purpose="lost-link")
    assert (misdirected.value.reason, forged.value.reason) == ("wrong_purpose", "invalid")


def test_with_redis_down_a_replay_is_still_refused_through_the_database(settings):
    settings.RATELIMIT_REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    limiter._paused_until = 0.0
    payload = proof("hold")
    redeem(verify_proof(payload, purpose="hold"))
    assert RedeemedProof.objects.count() == 1
    with pytest.raises(ProofRefused):
        redeem(verify_proof(payload, purpose="hold"))
    limiter._paused_until = 0.0  # the next test finds Redis at once


def test_a_proof_used_while_redis_was_down_stays_used_once_redis_is_back(settings):
    up = settings.RATELIMIT_REDIS_URL
    settings.RATELIMIT_REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    limiter._paused_until = 0.0
    payload = proof("hold")
    redeem(verify_proof(payload, purpose="hold"))
    settings.RATELIMIT_REDIS_URL = up
    limiter._paused_until = 0.0
    with pytest.raises(ProofRefused):
        redeem(verify_proof(payload, purpose="hold"))


def test_used_proofs_kept_in_the_database_are_purged_once_expired():
    import datetime as dt

    from django.utils import timezone

    RedeemedProof.objects.create(key="a" * 64, expires_at=timezone.now() - dt.timedelta(seconds=1))
    RedeemedProof.objects.create(key="b" * 64, expires_at=timezone.now() + dt.timedelta(minutes=5))
    assert purge_redeemed_proofs() == 1
    assert list(RedeemedProof.objects.values_list("key", flat=True)) == ["b" * 64]


def test_the_challenge_endpoint_serves_a_signed_challenge_for_known_forms_only(client):
    response = client.get(reverse("booking:antibot-challenge", args=["hold"]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    challenge = response.json()
    assert challenge["parameters"]["algorithm"] == "PBKDF2/SHA-256" and challenge["signature"]
    assert verify_proof(solve(challenge), purpose="hold").kind == "pow"
    assert client.get(reverse("booking:antibot-challenge", args=["nothing"])).status_code == 404


def test_a_page_without_a_proof_says_how_long_to_wait_and_keeps_the_ticket(client):
    page = client.get(reverse("booking:lost-link")).content.decode()
    assert "sans JavaScript, envoyez ce formulaire au moins 30 secondes" in page
    ticket = page.split('name="antibot_ticket" value="')[1].split('"')[0]
    response = client.post(
        reverse("booking:lost-link"), {"reference": "ABCD-EFGH", "email": "nom@example.org", "antibot_ticket": ticket}
    )
    assert response.status_code == 400
    assert "Renvoyez-le dans" in response.content.decode()
    assert f'value="{ticket}"' in response.content.decode()  # the same ticket: the wait is not started again


def test_sending_wrong_solutions_without_end_is_limited_per_ip(client, settings):
    settings.RATE_LIMITS = {"proof:ip": (2, 3600)}
    challenge = altcha.Challenge.from_dict(issue_challenge(purpose="lost-link"))
    wrong = altcha.Payload(challenge, altcha.Solution(counter=1, derived_key="00" * 32)).to_base64()
    data = {"reference": "ABCD-EFGH", "email": "nom@example.org", "altcha": wrong}
    statuses = [client.post(reverse("booking:lost-link"), data).status_code for _ in range(3)]
    assert statuses == [400, 400, 429]
