"""The demo's authenticators: administrators and treasurers confirm a TOTP code after their
password, so the demo gives its two such accounts an authenticator with a published key
(``sharaka.demo.DEMO_TOTP_KEYS``); ``sharaka manage demo_code USER`` shows its code."""

from __future__ import annotations

from base64 import b32decode

from django_otp.plugins.otp_totp.models import TOTPDevice

from sharaka.accounts.models import User

#: The name of every authenticator the demo creates, and only of those.
DEMO_TOTP_DEVICE = "démo"


def demo_authenticator_add(*, user: User, base32_key: str) -> TOTPDevice:
    key = b32decode(base32_key).hex()
    return TOTPDevice.objects.create(user=user, name=DEMO_TOTP_DEVICE, key=key, confirmed=True)
