"""Screenshots of each demo role's start page on a 390 x 844 phone, for the README's tour.

Run against a server holding the demo data (`make run`), with Debian's chromium:

    .venv/bin/python scripts/start_screenshots.py http://127.0.0.1:8000

Writes docs/screenshots/start-<login>.png (the first screen, as the phone shows it),
reduced to a 64-colour palette to keep the files small.
"""

import io
import os
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROLES = ["producer", "commune", "council1", "province", "union", "inspector"]
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def main(base):
    OUT.mkdir(parents=True, exist_ok=True)
    executable = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--headless=new"])
        for username in ROLES:
            context = browser.new_context(
                locale="vi-VN", viewport={"width": 390, "height": 844}, device_scale_factor=1
            )
            page = context.new_page()
            page.goto(base + "/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", f"ocop-{username}-2025")
            page.click("main button[type=submit]")
            page.wait_for_url("**/start/")
            shot = Image.open(io.BytesIO(page.screenshot()))
            path = OUT / f"start-{username}.png"
            shot.convert("RGB").quantize(colors=64).save(path, optimize=True)
            print(path, path.stat().st_size)
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000")
