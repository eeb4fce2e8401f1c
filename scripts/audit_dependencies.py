"""Audit the locked dependencies for known vulnerabilities (pip-audit), for CI.

Fails (exit 1) when a locked package has a known vulnerability. Where the vulnerability
service cannot be reached (this workplace reaches the package index but not PyPI's JSON API
nor OSV), every package comes back "skipped": the script says so plainly and does not fail,
because that is a fact about the network, not about the code.

    uv run python scripts/audit_dependencies.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

PIP_AUDIT = "pip-audit==2.10.1"


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        requirements = Path(folder) / "requirements.txt"
        subprocess.run(
            [
                "uv",
                "export",
                "--frozen",
                "--no-hashes",
                "--no-emit-project",
                "-o",
                str(requirements),
            ],
            check=True,
            capture_output=True,
        )
        result = subprocess.run(
            ["uvx", PIP_AUDIT, "-r", str(requirements), "--disable-pip", "--no-deps", "-f", "json"],
            capture_output=True,
            text=True,
            check=False,
        )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(f"pip-audit gave no report (exit {result.returncode}): {result.stderr[-500:]}")
        return 1
    dependencies = report["dependencies"]
    skipped = [d for d in dependencies if "skip_reason" in d]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
            print(
                f"VULNERABLE {dependency['name']} {dependency['version']}: {vuln['id']} ({fixed})"
            )
    audited = len(dependencies) - len(skipped)
    print(
        f"pip-audit: {audited} audited, {len(skipped)} not reachable, {len(vulnerable)} vulnerable"
    )
    if skipped and not audited:
        print("pip-audit: the vulnerability service was not reachable from here; nothing audited")
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
