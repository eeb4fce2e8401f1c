"""``sharaka serve``: the WSGI application under gunicorn, in production mode (ADR 0015).

The command refuses to start (exit 2, one line on stderr) when ``SECRET_KEY`` is missing or
a development one, or when ``DEBUG`` is on; sets ``SHARAKA_PRODUCTION=1`` for the settings
(DEBUG off, hashed static files, persistent database connections); runs ``collectstatic``
unless ``--no-collectstatic``; then hands over to gunicorn's arbiter, which forks the
workers and runs until SIGTERM or SIGINT (graceful stop) or SIGQUIT (immediate)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import django
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.urls import get_resolver
from gunicorn import glogging
from gunicorn.app.base import BaseApplication
from gunicorn.config import Config

from sharaka.ops.keys import secret_key_problem
from sharaka.ops.logs import JsonFormatter

PROG = "sharaka serve"
#: gunicorn's access line, with the time taken (microseconds) and the request id
ACCESS_LOG_FORMAT = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)sus rid=%({x-request-id}o)s'
)

DEFAULT_BIND = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_WORKERS = 2
DEFAULT_THREADS = 4
DEFAULT_TIMEOUT = 60
#: seconds a stopping worker is given to finish the requests it has
GRACEFUL_TIMEOUT = 30
#: seconds an idle keep-alive connection is kept (behind a proxy on the same network)
KEEPALIVE = 5


@dataclass(frozen=True)
class ServeOptions:
    bind: str = DEFAULT_BIND
    port: int = DEFAULT_PORT
    workers: int = DEFAULT_WORKERS
    threads: int = DEFAULT_THREADS
    timeout: int = DEFAULT_TIMEOUT
    access_log: str = "-"
    collectstatic: bool = True

    @property
    def address(self) -> str:
        """gunicorn's bind address; an IPv6 address goes in brackets."""
        host = self.bind
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        return f"{host}:{self.port}"


def _bounded(name: str, low: int, high: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            message = f"{name} must be a whole number, not {raw!r}"
            raise argparse.ArgumentTypeError(message) from None
        if not low <= value <= high:
            message = f"{name} must be between {low} and {high}, not {value}"
            raise argparse.ArgumentTypeError(message)
        return value

    return parse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--bind", default=DEFAULT_BIND, help=f"adresse d'écoute (défaut {DEFAULT_BIND})"
    )
    parser.add_argument(
        "--port",
        type=_bounded("--port", 1, 65535),
        default=DEFAULT_PORT,
        help=f"port d'écoute (défaut {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--workers",
        type=_bounded("--workers", 1, 64),
        default=DEFAULT_WORKERS,
        help=f"processus (défaut {DEFAULT_WORKERS})",
    )
    parser.add_argument(
        "--threads",
        type=_bounded("--threads", 1, 64),
        default=DEFAULT_THREADS,
        help=f"fils par processus (défaut {DEFAULT_THREADS})",
    )
    parser.add_argument(
        "--timeout",
        type=_bounded("--timeout", 1, 3600),
        default=DEFAULT_TIMEOUT,
        help=f"secondes avant qu'un processus bloqué soit relancé (défaut {DEFAULT_TIMEOUT})",
    )
    parser.add_argument(
        "--access-log",
        default="-",
        metavar="-|FILE",
        help="journal des requêtes : - (sortie standard, défaut) ou un fichier",
    )
    parser.add_argument("--no-collectstatic", dest="collectstatic", action="store_false",
                        help="ne pas lancer collectstatic (déjà fait au déploiement)")  # fmt: skip


def options_from(args: argparse.Namespace) -> ServeOptions:
    return ServeOptions(
        bind=args.bind,
        port=args.port,
        workers=args.workers,
        threads=args.threads,
        timeout=args.timeout,
        access_log=args.access_log,
        collectstatic=args.collectstatic,
    )


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def environment_problem(environ: Mapping[str, str]) -> str | None:
    """Why the environment cannot run in production, in one line, or ``None``."""
    if _truthy(environ.get("DEBUG")):
        return "DEBUG is on: production runs with DEBUG off (unset DEBUG)"
    return secret_key_problem(environ.get("SECRET_KEY"))


def access_log_problem(access_log: str) -> str | None:
    if access_log == "-":
        return None
    try:
        with open(access_log, "a", encoding="utf-8"):
            pass
    except OSError as error:
        return f"--access-log {access_log}: cannot write there ({error.strerror})"
    return None


class GunicornLogger(glogging.Logger):
    """gunicorn's logger, writing JSON lines too when ``SHARAKA_LOG_FORMAT=json``."""

    def setup(self, cfg: Config) -> None:
        super().setup(cfg)
        if getattr(settings, "LOG_FORMAT", "text") == "json":
            for log in (self.error_log, self.access_log):
                for handler in log.handlers:
                    handler.setFormatter(JsonFormatter())


def gunicorn_settings(options: ServeOptions) -> dict[str, Any]:
    return {
        "bind": [options.address],
        "workers": options.workers,
        "threads": options.threads,
        "worker_class": "gthread" if options.threads > 1 else "sync",
        "timeout": options.timeout,
        "graceful_timeout": min(GRACEFUL_TIMEOUT, options.timeout),
        "keepalive": KEEPALIVE,
        "accesslog": options.access_log,
        "access_log_format": ACCESS_LOG_FORMAT,
        "errorlog": "-",
        "logger_class": GunicornLogger,
        "proc_name": "sharaka",
        # gunicorn's control socket (one fixed path under $HOME) is not used: two servers
        # on one machine would fight over it
        "control_socket_disable": True,
    }


class Application(BaseApplication):
    """gunicorn, configured by ``gunicorn_settings`` only (not by a gunicorn.conf.py or
    ``GUNICORN_CMD_ARGS``), serving Django's WSGI handler."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self._config = dict(config)
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._config.items():
            self.cfg.set(key, value)

    def load(self) -> WSGIHandler:
        application = get_wsgi_application()
        # import the URL conf, and with it every view, while the worker boots: otherwise
        # the first request of each worker pays for it (seconds on a loaded machine)
        get_resolver().url_patterns  # noqa: B018 - the access is the point
        return application


def _manifest_present() -> bool:
    return (Path(settings.STATIC_ROOT) / "staticfiles.json").is_file()


def run(options: ServeOptions, *, stderr: IO[str]) -> int:
    """Check, prepare, then serve until stopped (tests/ops/test_serve_live.py)."""
    env = os.environ
    problem = environment_problem(env) or access_log_problem(options.access_log)
    if problem is not None:
        print(f"{PROG}: {problem}", file=stderr)
        return 2
    env["SHARAKA_PRODUCTION"] = "1"
    env.setdefault("DJANGO_SETTINGS_MODULE", "sharaka.config.settings")
    try:
        django.setup()
    except ImproperlyConfigured as error:
        print(f"{PROG}: {error}", file=stderr)
        return 2
    if not settings.PRODUCTION:  # settings were loaded before SHARAKA_PRODUCTION was set
        print(f"{PROG}: the settings were loaded outside production mode", file=stderr)
        return 2
    if options.collectstatic:
        call_command("collectstatic", interactive=False, verbosity=0)
    elif not _manifest_present():
        print(
            f"{PROG}: no collected static files in {settings.STATIC_ROOT}: run "
            "`sharaka manage collectstatic --noinput` first, or drop --no-collectstatic",
            file=stderr,
        )
        return 2
    connections.close_all()  # none may be shared with the forked workers
    config = gunicorn_settings(options)
    secure = "" if settings.SECURE else (
        "; SHARAKA_SECURE is off: serve it behind HTTPS and set SHARAKA_SECURE=1"
    )  # fmt: skip
    print(f"{PROG}: http://{options.address}/ (workers: {options.workers}, "
          f"threads: {options.threads}){secure}", file=stderr)  # fmt: skip
    Application(config).run()
    return 0
