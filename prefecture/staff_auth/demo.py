"""A second factor for the demo staff, printed by seed_demo (which refuses to run in production)."""

from __future__ import annotations

from dataclasses import dataclass

from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .services import (
    APP_DEVICE_NAME,
    format_recovery_code,
    get_app_device,
    replace_recovery_codes,
    secret_for_manual_entry,
)

# Fewer recovery codes left than this, and the demo makes new ones.
DEMO_MIN_CODES = 3


@dataclass(frozen=True)
class DemoSecondFactor:
    secret: str  # to type into an authenticator app
    recovery_codes: list[str]


def give_demo_second_factor(user) -> DemoSecondFactor:
    """The user's app key (kept from one run to the next, so that an app set up once keeps working)
    and their recovery codes left, topped up when nearly used."""
    device = get_app_device(user)
    if device is None:
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=True)
    codes = list(StaticToken.objects.filter(device__user=user).order_by("pk").values_list("token", flat=True))
    if len(codes) < DEMO_MIN_CODES:
        codes = replace_recovery_codes(user=user)
    return DemoSecondFactor(secret_for_manual_entry(device), [format_recovery_code(code) for code in codes])
