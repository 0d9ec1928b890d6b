"""Solving the anti-robot check in tests, as a script would: the altcha library's own solver."""

import altcha

from booking.antibot.pow import issue_challenge


def solve(challenge: dict) -> str:
    """The payload a browser would send for this challenge (see static/js/antibot.js)."""
    parsed = altcha.Challenge.from_dict(challenge)
    solution = altcha.solve_challenge(parsed, timeout=30)
    assert solution is not None
    return altcha.Payload(parsed, solution).to_base64()


def proof(purpose: str, level: int = 0) -> str:
    return solve(issue_challenge(purpose=purpose, level=level))
