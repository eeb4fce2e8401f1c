"""The deployment files: compose.yaml parses and describes the four services, the
Containerfile keeps its promises, and docs/deploy.md documents every environment variable
and gives systemd units that parse. (No image can be pulled here, so the files are
checked, not run: docs/deploy.md says what was tried by hand.)"""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")


def _compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_compose_parses_and_has_web_worker_postgres_redis() -> None:
    compose = _compose()
    services = compose["services"]
    assert {"web", "worker", "db", "redis", "migrate"} <= set(services)
    assert services["web"]["command"][:2] == ["sharaka", "serve"]
    assert services["worker"]["command"][:2] == ["sharaka", "worker"]
    assert services["migrate"]["command"] == ["sharaka", "manage", "migrate", "--noinput"]
    assert services["db"]["image"].endswith("postgres:15")
    assert services["redis"]["image"].endswith("redis:7")
    for name in ("web", "worker"):
        service = services[name]
        assert service["depends_on"]["db"]["condition"] == "service_healthy"
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert "sharaka-var:/var/lib/sharaka" in service["volumes"]
        environment = service["environment"]
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        assert environment["DATABASE_URL"].startswith("postgres://sharaka:")
        assert "@db:5432/sharaka" in environment["DATABASE_URL"]
    assert set(compose["volumes"]) == {
        "sharaka-var",
        "sharaka-backups",
        "postgres-data",
        "redis-data",
    }
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]  # HTTPS comes from the proxy


def test_containerfile() -> None:
    text = (ROOT / "Containerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim", text, re.MULTILINE)
    assert "pip install --no-cache-dir uv" in text and "uv sync --frozen --no-dev" in text
    for library in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz0b", "postgresql-client"):
        assert library in text
    users = re.findall(r"^USER (\S+)", text, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    assert "HEALTHCHECK" in text and "/healthz" in text
    assert re.search(r'^CMD \["sharaka", "serve"', text, re.MULTILINE)


def _settings_variables() -> set[str]:
    source = (ROOT / "src" / "sharaka" / "config" / "settings.py").read_text(encoding="utf-8")
    pattern = r'(?:os\.environ(?:\.get)?[\[(]|_env_(?:int|bool|list)\()"([A-Z0-9_]+)"'
    return set(re.findall(pattern, source))


def _table_variables() -> set[str]:
    section = GUIDE.split("## Environment variables", 1)[1].split("\n## ", 1)[0]
    first_cells = re.findall(r"^\| (`[^|]*)\|", section, re.MULTILINE)
    return {name for cell in first_cells for name in re.findall(r"`([A-Z0-9_]+)`", cell)}


def test_every_environment_variable_is_in_the_one_table() -> None:
    documented = _table_variables()
    assert _settings_variables() - documented == set()
    compose_variables = set(_compose()["services"]["web"]["environment"])
    assert compose_variables - documented == set()
    for variable in (
        "SHARAKA_LOG_FORMAT", "SENTRY_DSN", "CONN_MAX_AGE", "REDIS_URL",
        "DATABASE_REPLICA_URL", "SHARAKA_S3_BUCKET", "SHARAKA_S3_ENDPOINT_URL",
        "SHARAKA_S3_ACCESS_KEY_ID", "SHARAKA_S3_SECRET_ACCESS_KEY", "SHARAKA_CHAIN_KEY",
    ):  # fmt: skip
        assert variable in documented
    assert GUIDE.count("## Environment variables") == 1


def test_the_systemd_units_parse() -> None:
    units = re.findall(r"```ini\n# (/etc/systemd/system/\S+)\n(.*?)```", GUIDE, re.DOTALL)
    names = {Path(path).name for path, _ in units}
    assert {
        "sharaka-web.service", "sharaka-worker.service", "sharaka-backup.service",
        "sharaka-backup.timer", "sharaka-scheduled.service", "sharaka-scheduled.timer",
    } <= names  # fmt: skip
    for path, body in units:
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        parser.read_string(body)
        assert "Unit" in parser, path
        if path.endswith(".service"):
            assert parser["Service"]["ExecStart"].split()[0].startswith("/"), path
            assert parser["Service"].get("User") == "sharaka", path
        else:
            assert "OnCalendar" in parser["Timer"], path
