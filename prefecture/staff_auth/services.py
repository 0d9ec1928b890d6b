"""The second factor of staff accounts: an authenticator app (TOTP) and one-time recovery codes.

Every change of a user's devices goes through here: enrolment and its confirmation, checking a
code at login, new recovery codes, and the reset by a head of bureau or an administrator (which
writes its audit row).
"""

from __future__ import annotations

import logging
import re
from base64 import b32encode

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from counters.staff_sites.selectors import list_sites_for, sees_all_sites

logger = logging.getLogger(__name__)

APP_DEVICE_NAME = "Application d'authentification"
RECOVERY_DEVICE_NAME = "Codes de secours"
RECOVERY_CODE_COUNT = 10
RESET_PERMISSION = "staff_sites.reset_second_factor"

APP_CODE = re.compile(r"^\d{6}$")


class SecondFactorError(Exception):
    """A code or a request refused, with a message to show as it is."""

    default_message = gettext_lazy("Ce code n'est pas valable.")

    def __init__(self, message: str | None = None):
        self.message = message or str(self.default_message)
        super().__init__(self.message)


class CodeRefused(SecondFactorError):
    default_message = gettext_lazy(
        "Ce code n'est pas valable. Saisissez les 6 chiffres affichés par votre application, ou un code de secours."
    )


class CodeThrottled(SecondFactorError):
    default_message = gettext_lazy("Trop d'essais rapprochés : attendez quelques secondes, puis saisissez un code.")


class ResetRefused(SecondFactorError):
    default_message = gettext_lazy("Vous ne pouvez pas réinitialiser la double authentification de ce compte.")


def normalise_code(raw: str) -> str:
    """As typed or pasted: spaces and hyphens out, lower case (recovery codes are shown as abcd-efgh)."""
    return re.sub(r"[\s-]", "", raw or "").lower()


def format_recovery_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def secret_for_manual_entry(device: TOTPDevice) -> str:
    """The key as an authenticator app asks for it when typed: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def get_app_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user) -> bool:
    """Whether the user has an authenticator app set up (else, the next login enrols one)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def count_recovery_codes(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def get_enrolment_device(*, user) -> TOTPDevice:
    """The key offered to a user without a second factor: the same one on each visit until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def confirm_enrolment(*, user, code: str) -> tuple[TOTPDevice, list[str]]:
    """The first code from the app proves it holds the key: the device is confirmed, and recovery
    codes made. Raises CodeRefused (or CodeThrottled) otherwise."""
    with transaction.atomic():
        if has_second_factor(user):
            raise CodeRefused(_("Une application d'authentification est déjà configurée pour ce compte."))
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            raise CodeRefused(_("Rechargez la page : la clé à ajouter à votre application a changé."))
        accepted = _verify(device, normalise_code(code))
        if accepted:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            codes = replace_recovery_codes(user=user)
    # Raised once the transaction is over: the device's count of failures (its throttling) is kept.
    _raise_unless(accepted)
    return device, codes


def verify_second_factor(*, user, code: str) -> Device:
    """The device that accepts `code`: six digits for the app, anything else a recovery code (used up).

    Raises CodeThrottled while the device waits after failures (1, 2, 4… seconds), CodeRefused otherwise.
    """
    code = normalise_code(code)
    with transaction.atomic():
        devices = TOTPDevice.objects if APP_CODE.match(code) else StaticDevice.objects
        device = devices.select_for_update().filter(user=user, confirmed=True).first()
        accepted = _verify(device, code) if device is not None else False
    _raise_unless(accepted)
    return device


THROTTLED = "throttled"


def _verify(device: TOTPDevice | StaticDevice, code: str) -> bool | str:
    """True if the device accepts the code, THROTTLED while it makes the user wait, else False."""
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        return THROTTLED
    return bool(code) and device.verify_token(code)


def _raise_unless(accepted: bool | str) -> None:
    if accepted == THROTTLED:
        raise CodeThrottled()
    if not accepted:
        raise CodeRefused()


@transaction.atomic
def replace_recovery_codes(*, user) -> list[str]:
    """New recovery codes, each good once; the previous ones stop working. Returned to be shown once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def check_can_reset(*, by, user) -> None:
    """A national administrator may reset anyone's second factor; a head of bureau (with the
    permission), the accounts of their sites that are not administrators."""
    if not by.is_active or not by.has_perm(RESET_PERMISSION):
        raise ResetRefused()
    if sees_all_sites(by):
        return
    if user.is_superuser or sees_all_sites(user):
        raise ResetRefused()
    if not list_sites_for(user).filter(pk__in=list_sites_for(by)).exists():
        raise ResetRefused()


@transaction.atomic
def reset_second_factor(*, user, by) -> None:
    """Remove the user's app and recovery codes: the sessions it verified stop being verified at
    once, and the next login asks to set up an app again. Audited in the account's history."""
    check_can_reset(by=by, user=user)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[user],
        action_flag=CHANGE,
        change_message="Double authentification réinitialisée.",
        single_object=True,
    )
    logger.info("Second factor of staff account %s reset by account %s.", user.pk, by.pk)
