"""``sharaka manage demo_code USER``: the current second-factor code of a demo account.

Only for the authenticators the demo created (published keys, like the demo password); any
other account's code stays in its owner's application.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sharaka.accounts.demo import DEMO_TOTP_DEVICE


class Command(BaseCommand):
    help = "Affiche le code de double authentification du moment d'un compte de démonstration."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="compte de démonstration (admin, tresorier)")

    def handle(self, *args: Any, **options: Any) -> None:
        device = TOTPDevice.objects.filter(
            user__username=options["username"], name=DEMO_TOTP_DEVICE, confirmed=True
        ).first()
        if device is None:
            raise CommandError(
                f"username: {options['username']!r} n'a pas d'authentificateur de démonstration"
            )
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        remaining = device.step - int(totp.time - device.t0) % device.step
        self.stdout.write(f"{totp.token():0{device.digits}d}  (valable encore {remaining} s)")
