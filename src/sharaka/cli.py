"""The ``sharaka`` command (contract: DESIGN.md, "Command line").

Exit status: 0 success; 1 a check failed; 2 bad input, with a one-line message on stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import django
from django.core.management import call_command, execute_from_command_line

from sharaka.core import clitext
from sharaka.core.clitext import gettext as _
from sharaka.core.rules import cli as core_rules_cli
from sharaka.governance.rules import cli as rules_cli
from sharaka.ops import serve

PROG = "sharaka"


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message}\n")


def _setup_django() -> None:
    """Set Django up; the commands that use models import their module only after this
    (the one place where an import inside a function is right, tests/core/test_layers.py)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharaka.config.settings")
    django.setup()
    from django.utils import translation

    translation.activate(clitext.language())  # messages in the environment's language


def _build_parser() -> _Parser:
    parser = _Parser(prog=PROG, description="Sharaka — partenariats de gestion.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    demo = commands.add_parser("demo", help="prépare les données de démonstration et sert le site")
    demo.add_argument("--port", type=int, default=8000, help="port d'écoute (défaut 8000)")
    demo.add_argument("--no-serve", action="store_true", help="prépare les données sans servir")
    demo.add_argument("--reset", action="store_true", help="repart d'une base vide")
    demo.add_argument(
        "--force",
        action="store_true",
        help="charge la démo même dans une base qu'elle n'a pas créée ; --reset sans question",
    )

    serve.add_arguments(
        commands.add_parser(
            "serve", help="sert le site en production (gunicorn, DEBUG désactivé)",
            description="Sert Sharaka en production sous gunicorn (docs/serving.md).",
        )
    )  # fmt: skip

    manage = commands.add_parser("manage", help="toute commande manage.py de Django")
    manage.add_argument("args", nargs=argparse.REMAINDER)

    rules = commands.add_parser(
        "rules", help="règles pures : tally, power, balance, progress, allocate, deadline"
    )
    rules.add_argument("args", nargs=argparse.REMAINDER)

    convention = commands.add_parser(
        "convention", help="conventions : rendu en PDF ou DOCX, délibérations, tutelle"
    )
    convention_commands = convention.add_subparsers(
        dest="convention_command", required=True, parser_class=_Parser
    )
    render = convention_commands.add_parser(
        "render", help="la convention d'un partenariat en PDF ou DOCX, en fr, ar ou en"
    )
    render.add_argument("slug", help="identifiant court du partenariat")
    render.add_argument("--format", choices=("pdf", "docx"), required=True)
    render.add_argument("--lang", choices=("fr", "ar", "en"), default="fr")
    render.add_argument("-o", "--output", required=True, help="fichier à écrire (- : sortie)")
    render.add_argument(
        "--version", type=int, default=None, metavar="N",
        help="numéro de version (0 : convention initiale) ; défaut : celle en vigueur",
    )  # fmt: skip
    deliberations = convention_commands.add_parser(
        "deliberations",
        help="délibérations des conseils, transmission et contrôle de tutelle d'un partenariat",
    )
    deliberations.add_argument("slug", help="identifiant court du partenariat")
    deliberations.add_argument("--json", action="store_true", help="sortie JSON")
    oversight = convention_commands.add_parser(
        "oversight",
        help="délibérations d'une collectivité en attente de transmission ou de réponse",
    )
    oversight.add_argument("authority", type=int, help="identifiant de la collectivité")
    oversight.add_argument("--json", action="store_true", help="sortie JSON")

    verify = commands.add_parser(
        "verify", help="vérifie la chaîne d'empreintes des votes, décisions et PV signés"
    )
    verify.add_argument(
        "--head", metavar="[POSITION:]HASH",
        help="une tête publiée plus tôt (portail, PV signé) que la chaîne doit contenir",
    )  # fmt: skip
    verify.add_argument(
        "--head-file", metavar="FILE", help="une tête exportée plus tôt par --export-head"
    )
    verify.add_argument(
        "--export-head", metavar="FILE", help="écrit la tête vérifiée (JSON) dans FILE"
    )

    archive = commands.add_parser("archive", help="archives de clôture : vérification")
    archive_commands = archive.add_subparsers(
        dest="archive_command", required=True, parser_class=_Parser
    )
    archive_verify = archive_commands.add_parser(
        "verify", help="vérifie l'empreinte SHA-256 de chaque fichier d'une archive de clôture"
    )
    archive_verify.add_argument("file", help="archive ZIP téléchargée depuis la page Clôture")

    worker = commands.add_parser("worker", help="exécute les tâches de fond (file d'attente)")
    worker.add_argument(
        "--with-scheduler", action="store_true",
        help="exécute aussi les tâches périodiques (pas de ligne cron alors)",
    )  # fmt: skip
    worker.add_argument(
        "--queue", nargs="+", default=["default"], metavar="NAME",
        help="files d'attente à traiter (défaut : default)",
    )  # fmt: skip
    commands.add_parser(
        "run-scheduled", help="exécute une fois les tâches périodiques dues (pour cron)"
    )

    import_ = commands.add_parser("import", help="imports de données : expenses")
    import_commands = import_.add_subparsers(
        dest="import_command", required=True, parser_class=_Parser
    )
    expenses = import_commands.add_parser(
        "expenses", help="dépenses d'un partenariat depuis un fichier CSV ou XLSX (tout ou rien)"
    )
    expenses.add_argument("slug", help="identifiant court du partenariat")
    expenses.add_argument("file", nargs="?", help="fichier CSV ou XLSX à importer")
    expenses.add_argument(
        "--template", action="store_true",
        help="écrit un modèle CSV (en-tête et exemples) pour le plan en vigueur",
    )  # fmt: skip
    expenses.add_argument(
        "--allow-duplicates", action="store_true",
        help="importe même un fichier déjà importé, ou des dépenses qui en répètent d'autres",
    )  # fmt: skip

    export = commands.add_parser("export", help="données ouvertes : popolo, iati, datapackage")
    export_commands = export.add_subparsers(
        dest="export_command", required=True, parser_class=_Parser
    )
    export_popolo = export_commands.add_parser(
        "popolo", help="un partenariat public en Popolo JSON (conseil, réunions, votes)"
    )
    export_popolo.add_argument("slug", help="identifiant court du partenariat")
    export_popolo.add_argument(
        "-o", "--output", required=True, help="fichier à écrire (- : sortie)"
    )
    export_iati = export_commands.add_parser(
        "iati", help="les partenariats publiés selon IATI 2.03 (XML)"
    )
    export_iati.add_argument("--partnership", metavar="SLUG", help="un seul partenariat")
    export_iati.add_argument("-o", "--output", required=True, help="fichier à écrire (- : sortie)")
    export_datapackage = export_commands.add_parser(
        "datapackage", help="les jeux de données CSV et leur datapackage.json dans un dossier"
    )
    export_datapackage.add_argument("-o", "--output", required=True, metavar="DIR")
    audit = commands.add_parser("audit", help="audit : contrôles pré-audit")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True, parser_class=_Parser)
    audit_check = audit_commands.add_parser(
        "check", help="exécute les contrôles pré-audit d'un partenariat (1 : constats)"
    )
    audit_check.add_argument("slug", help="identifiant court du partenariat")
    audit_check.add_argument("--json", action="store_true", help="constats en JSON")

    observatory = commands.add_parser("observatory", help="observatoire : instantané des scores")
    observatory_commands = observatory.add_subparsers(
        dest="observatory_command", required=True, parser_class=_Parser
    )
    observatory_commands.add_parser(
        "refresh", help="recalcule maintenant l'instantané que lisent les pages de l'observatoire"
    )
    backup = commands.add_parser(
        "backup", help="sauvegarde la base et les fichiers déposés dans une archive (ADR 0017)"
    )
    backup.add_argument("-o", "--output", required=True, metavar="FILE", help="archive à écrire")
    restore = commands.add_parser(
        "restore", help="restaure une archive après l'avoir vérifiée, puis lance verify"
    )
    restore.add_argument("file", help="archive écrite par sharaka backup")
    restore.add_argument("--force", action="store_true", help="remplace une base non vide")

    seed = commands.add_parser(
        "seed-scale", help="ajoute un jeu de données à l'échelle nationale (mesures, issue 19)"
    )
    seed.add_argument("--scale", type=float, default=0.01,
                      help="fraction de l'échelle nationale (1 : 1 500 collectivités, 12 000 "
                           "partenariats, 2 000 000 dépenses) ; défaut 0.01")  # fmt: skip
    seed.add_argument("--authorities", type=int, help="nombre de collectivités")
    seed.add_argument("--partnerships", type=int, help="nombre de partenariats")
    seed.add_argument("--expenses", type=int, help="nombre de dépenses")
    seed.add_argument("--seed", type=int, default=1, help="graine (mêmes données pour la même)")
    return parser


RULES_USAGE = "usage: sharaka rules tally|power|balance|progress|allocate|deadline [FILE|-]"


def _rules(argv: list[str]) -> int:
    """The six pure commands: the governance engine's three, and core's three (ADR 0018)."""
    if argv[:1] in (["-h"], ["--help"]):
        print(RULES_USAGE)
        return 0
    if argv[:1] and argv[0] in core_rules_cli.COMMANDS:
        return core_rules_cli.main(argv, sys.stdin, sys.stdout, sys.stderr)
    if argv[:1] and argv[0] in rules_cli.COMMANDS:
        return rules_cli.main(argv, sys.stdin, sys.stdout, sys.stderr)
    print(RULES_USAGE, file=sys.stderr)
    return 2


def _refuse_demo(message: str) -> int:
    print(f"{PROG} demo: {message}", file=sys.stderr)
    return 2


def _confirm_reset(where: str) -> bool:
    """Ask on the terminal; anything but "oui"/"yes" keeps the data."""
    print(_("--reset supprimera toutes les données de %(where)s.") % {"where": where})
    try:
        answer = input(_("Tapez « oui » pour confirmer : "))
    except EOFError:
        return False
    return answer.strip().lower() in {"oui", "yes", "نعم", _("oui")}


def _demo_progress(step: int, steps: int, app: str) -> None:
    print(_("  données de démonstration %(step)s/%(steps)s : %(app)s")
          % {"step": step, "steps": steps, "app": app}, file=sys.stderr, flush=True)  # fmt: skip


def _demo(port: int, serve: bool, reset: bool, force: bool = False) -> int:
    """Load the demo, but only into a database it created: the demo publishes its passwords
    and authenticator keys, so real data is refused unless ``--force`` (issue 21)."""
    if not 1 <= port <= 65535:
        message = _("--port doit être compris entre 1 et 65535, pas %(port)s")
        return _refuse_demo(message % {"port": port})
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    _setup_django()
    from sharaka import demo  # uses models: imported once Django is set up

    found = demo.inventory()
    foreign = found.ownership is demo.Ownership.FOREIGN
    if foreign and not force:
        return _refuse_demo(
            _("refus : %(where)s contient des données que la démo n'a pas créées ; pointez "
              "DATABASE_URL ou SHARAKA_VAR_DIR ailleurs, ou ajoutez --force")
            % {"where": found.describe()}
        )  # fmt: skip
    if reset and found.ownership is not demo.Ownership.EMPTY and not force:
        if not sys.stdin.isatty():
            return _refuse_demo(
                _("--reset supprimerait %(where)s ; lancez-le dans un terminal pour confirmer, "
                  "ou ajoutez --force") % {"where": found.describe()}
            )  # fmt: skip
        if not _confirm_reset(found.describe()):
            return _refuse_demo(_("--reset annulé : rien n'a été supprimé"))
    if reset:
        if found.ownership is not demo.Ownership.EMPTY:
            print(_("--reset : suppression de %(where)s") % {"where": found.describe()},
                  file=sys.stderr)  # fmt: skip
        demo.reset_database()
    print(_("Préparation de la base de démonstration (une minute environ)…"), file=sys.stderr)
    call_command("migrate", interactive=False, verbosity=0)
    if reset or not foreign:
        demo.mark_as_demo()
    summary = demo.load_demo(progress=_demo_progress)
    address = f"http://127.0.0.1:{port}/"
    print(demo.describe(summary, address=address, serving=serve))
    if serve:
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True)
    return 0


def _seed_scale(args: argparse.Namespace, seed_scale: Any, snapshot_refresh: Any) -> int:
    """``sharaka seed-scale`` (``seed_scale`` is the module and ``snapshot_refresh`` the
    observatory's, both imported once Django is set up)."""
    if not 0 < args.scale <= 1 or any(
        n is not None and n < 1 for n in (args.authorities, args.partnerships, args.expenses)
    ):
        print("seed-scale : --scale entre 0 et 1, des nombres positifs", file=sys.stderr)
        return 2
    size = seed_scale.sizes(scale=args.scale, authorities=args.authorities,
                            partnerships=args.partnerships, expenses=args.expenses)  # fmt: skip
    try:
        seed_scale.seed(size, seed=args.seed)
    except seed_scale.AlreadySeeded as error:
        print(f"seed-scale : la graine {args.seed} est déjà chargée ({error}) ; "
              "choisissez-en une autre (--seed).", file=sys.stderr)  # fmt: skip
        return 1
    refresh = snapshot_refresh()  # the observatory reads a snapshot: rebuild it now
    print(f"observatoire : {refresh.partnerships} partenariats en {refresh.duration_ms} ms")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = _build_parser()
    args = parser.parse_args(args_list)
    if args.command == "rules":
        return _rules(list(args.args))
    if args.command == "convention":
        _setup_django()
        from sharaka.conventions import cli as convention_cli

        if args.convention_command == "deliberations":
            return convention_cli.deliberations(args.slug, as_json=args.json, stdout=sys.stdout,
                                                stderr=sys.stderr)  # fmt: skip
        if args.convention_command == "oversight":
            return convention_cli.oversight(args.authority, as_json=args.json,
                                            stdout=sys.stdout, stderr=sys.stderr)  # fmt: skip
        return convention_cli.render(
            args.slug, fmt=args.format, lang=args.lang, output=args.output, number=args.version
        )
    if args.command == "archive":
        from sharaka.closure import archive as closure_archive

        return closure_archive.verify_command(args.file, stdout=sys.stdout, stderr=sys.stderr)
    if args.command == "verify":
        _setup_django()
        from sharaka.meetings import verify

        return verify.main(
            sys.stdout,
            sys.stderr,
            head=args.head,
            head_file=args.head_file,
            export_head=args.export_head,
        )
    if args.command == "import":
        _setup_django()
        from sharaka.finance import cli as finance_cli

        return finance_cli.import_expenses(
            args.slug, args.file, template=args.template, stdout=sys.stdout, stderr=sys.stderr,
            allow_duplicates=args.allow_duplicates,
        )  # fmt: skip
    if args.command == "export":
        _setup_django()
        from sharaka.opendata import cli as opendata_cli

        if args.export_command == "popolo":
            return opendata_cli.export_popolo(args.slug, args.output, stderr=sys.stderr)
        if args.export_command == "iati":
            return opendata_cli.export_iati(args.partnership, args.output, stderr=sys.stderr)
        return opendata_cli.export_datapackage(args.output, stdout=sys.stdout, stderr=sys.stderr)
    if args.command == "audit":
        _setup_django()
        from sharaka.audit import cli as audit_cli

        return audit_cli.check(args.slug, as_json=args.json, stdout=sys.stdout, stderr=sys.stderr)
    if args.command == "observatory":
        _setup_django()
        from sharaka.observatory.refresh import snapshot_refresh

        refresh = snapshot_refresh()
        print(
            f"observatory: {refresh.partnerships} partnerships scored in {refresh.duration_ms} ms",
            file=sys.stdout,
        )
        return 0
    if args.command == "serve":
        return serve.run(serve.options_from(args), stderr=sys.stderr)
    if args.command in {"backup", "restore"}:
        _setup_django()
        from sharaka import backup

        if args.command == "backup":
            return backup.backup_command(args.output, stdout=sys.stdout, stderr=sys.stderr)
        return backup.restore_command(
            args.file, force=args.force, stdout=sys.stdout, stderr=sys.stderr
        )
    if args.command in ("worker", "run-scheduled"):
        _setup_django()
        from sharaka.core import worker as worker_module

        if args.command == "run-scheduled":
            return worker_module.run_scheduled(stdout=sys.stdout)
        return worker_module.run(
            queues=args.queue, with_scheduler=args.with_scheduler, stderr=sys.stderr
        )
    if args.command == "seed-scale":
        _setup_django()
        from sharaka import seed_scale
        from sharaka.observatory.refresh import snapshot_refresh

        return _seed_scale(args, seed_scale, snapshot_refresh)
    if args.command == "manage":
        _setup_django()
        execute_from_command_line([f"{PROG} manage", *args.args])
        return 0
    return _demo(args.port, serve=not args.no_serve, reset=args.reset, force=args.force)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
