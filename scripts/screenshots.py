"""Take screenshots of pages as a signed-in user, with Debian's Chromium (a dev tool).

    uv run python scripts/screenshots.py --base http://127.0.0.1:8000 --user agent.oz \
        --lang ar --out var/shots /partenariats/ /partenariats/complexe-sportif/
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="")
    parser.add_argument("--password", default="demo-Sharaka-2026")
    parser.add_argument("--lang", default="fr")
    parser.add_argument("--out", default="var/shots")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )  # fmt: skip
        context = browser.new_context(
            locale=args.lang, extra_http_headers={"Accept-Language": args.lang},
            viewport={"width": args.width, "height": 900},
        )  # fmt: skip
        page = context.new_page()
        if args.user:
            page.goto(f"{args.base}/comptes/connexion/")
            page.fill("#id_username", args.user)
            page.fill("#id_password", args.password)
            page.click("form button[type=submit] >> nth=-1")
            page.wait_for_load_state()
        for path in args.paths:
            page.goto(args.base + path)
            page.wait_for_load_state("networkidle")
            name = path.strip("/").replace("/", "_") or "home"
            target = out / f"{args.lang}_{args.user or 'anon'}_{name}.png"
            page.screenshot(path=str(target), full_page=True)
            print(target)
        browser.close()


if __name__ == "__main__":
    main()
