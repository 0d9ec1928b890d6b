"""A certificate's code, which shows the name on it, stays out of the logs like booking tokens."""

import logging

import pytest
from django.urls import reverse

from prefecture.log_filters import MASK, MaskTokensFilter, mask_tokens

CODE = "ABCD-EFGH-JKMN"


@pytest.mark.parametrize(
    "path",
    [
        f"/attestation/verifier/{CODE}/",
        f"/attestation/verifier/{CODE}/attestation.pdf",
        "/attestation/verifier/?code=abcd+efgh+jkmn",
        f"/attestation/verifier/?submit=Verifier&code={CODE}",
    ],
)
def test_verification_codes_in_paths_are_masked(path):
    masked = mask_tokens(f'"GET {path} HTTP/1.1" 200 1234')

    assert "ABCD" not in masked.upper() and MASK in masked


def test_the_verification_page_itself_is_not_masked():
    assert mask_tokens('"GET /attestation/verifier/ HTTP/1.1" 200') == '"GET /attestation/verifier/ HTTP/1.1" 200'


@pytest.mark.django_db
def test_a_404_on_a_code_logs_no_code(client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(reverse("attestations:verify-code", args=[CODE]))

    messages = []
    for record in caplog.records:
        MaskTokensFilter().filter(record)
        messages.append(record.getMessage())
    assert messages and not any("ABCD" in message for message in messages)
