#!/usr/bin/env python3
"""How large a capsim page is and how long headless Chromium takes to show it (issue 12:
the 7-month nyc-taxi-season page under 2 MB and drawn in under 2 s).

  render_budget.py [--max-bytes N] [--max-ms N] [--runs N] PAGE.html ...

Per page: the file size, and per run the time from navigation start until the page is
loaded and laid out (the load event, then a forced layout of the whole document and one
animation frame, i.e. painted), at 1280 px wide in a fresh tab. The median of the runs
is held against the budget; the first run includes Chromium's warm-up and counts too.
Exit status 1 when a page is over budget.
"""
import argparse
import os
import statistics
import sys

os.environ.setdefault("SE_AVOID_STATS", "true")  # no usage statistics, no network
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402

# Time to load + layout + one frame, measured inside the page from navigation start.
SHOWN = """
const done = arguments[arguments.length - 1];
const settle = () => {
  document.documentElement.getBoundingClientRect();
  void document.body.offsetHeight;
  requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now())));
};
if (document.readyState === 'complete') settle(); else window.addEventListener('load', settle);
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-bytes", type=int, default=2_000_000)
    parser.add_argument("--max-ms", type=float, default=2_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("pages", nargs="+")
    args = parser.parse_args()
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
    driver.set_script_timeout(60)
    problems = []
    try:
        driver.set_window_size(1280, 1000)
        for page in args.pages:
            size = os.path.getsize(page)
            times = []
            for _ in range(args.runs):
                driver.get("about:blank")
                driver.get("file://" + os.path.abspath(page))
                times.append(driver.execute_async_script(SHOWN))
            median = statistics.median(times)
            print("%s: %s bytes, shown in %s ms (median %.0f ms)" % (
                page, format(size, ","), ", ".join("%.0f" % t for t in times), median))
            if size > args.max_bytes:
                problems.append("%s: %s bytes, over the budget of %s" % (page, format(size, ","), format(args.max_bytes, ",")))
            if median > args.max_ms:
                problems.append("%s: shown in %.0f ms (median), over the budget of %.0f ms" % (page, median, args.max_ms))
    finally:
        driver.quit()
    for problem in problems:
        print("FAIL " + problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
