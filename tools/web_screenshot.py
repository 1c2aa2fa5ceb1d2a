"""Write docs/web-screenshot.png: `contractgen web` with the designer sample, in headless Chromium.

    .venv/bin/python tools/web_screenshot.py [OUTPUT.png]

Needs the [web] and [test] extras and Debian's chromium + chromium-driver.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from webtools import Server, start_browser, stop_browser  # noqa: E402


def main() -> None:
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "web-screenshot.png"
    os.chdir(ROOT)                            # the page names the file as it was given
    with tempfile.TemporaryDirectory() as config:
        server = Server(args=["--from", "samples/designerin-pauschal.yaml"],
                        env={"CONTRACTGEN_CONFIG_DIR": config}).start()
        browser = start_browser(Path(config), width=1440, height=960)
        try:
            browser.get(server.url)
            time.sleep(2)                     # the first state, the preview, the fonts
            browser.save_screenshot(str(output))
        finally:
            stop_browser(browser)
            server.stop()
    print(f"Geschrieben: {output}")


if __name__ == "__main__":
    main()
