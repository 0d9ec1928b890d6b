"""Solving the anti-robot check in tests, as a script would: the altcha library's own solver (bench/flow.py's,
which the benchmarks' residents use too)."""

from bench.flow import solve_proof
from booking.antibot.pow import issue_challenge


def solve(challenge: dict) -> str:
    """The payload a browser would send for this challenge (see static/js/antibot.js)."""
    return solve_proof(challenge, timeout=30)


def proof(purpose: str, level: int = 0) -> str:
    return solve(issue_challenge(purpose=purpose, level=level))
