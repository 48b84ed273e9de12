#!/usr/bin/env python3
"""capsim's HTML pages in a real browser (Chromium through Selenium), as issue 12 asks.

  check_pages.py SCREENSHOT_DIR PAGE.html[=REPORT.json][:EXPECTED_TEXT] ...

For each page, at 1280 and 390 px wide: no JavaScript error in the console, no element
wider than the page (the document does not scroll sideways), every chart (svg.chart)
drawn with marks, no script element and no script run (hostile names stay text), and
EXPECTED_TEXT (optional, after the ':' that follows the page or its JSON) visible as text.
With REPORT.json (a `capsim run --format json` of the same run as a `capsim run --format
html` PAGE): the page's top savings opportunities (ol#opportunity-list) are the JSON's
`opportunities`, in the same order, with the same titles, kinds and USD per month (to the
cent), each shown as text. A full-page screenshot of each page at each width goes to
SCREENSHOT_DIR for a reviewer. Exit status 1 on any failure, with one line per problem.

Needs chromium and chromium-driver (Debian) and selenium (PyPI); .ci/run installs them.
"""
import json
import os
import re
import sys

os.environ.setdefault("SE_AVOID_STATS", "true")  # no usage statistics, no network
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402

WIDTHS = (1280, 390)


def browser():
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"):
        options.add_argument(argument)
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)


OVERFLOW = """
const width = document.documentElement.clientWidth, out = [];
for (const e of document.querySelectorAll('body *')) {
  // Inside a scrolling box an element may be wider than the page: the box scrolls, not the page.
  let clipped = false;
  for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
    const o = getComputedStyle(p).overflowX;
    if (o === 'auto' || o === 'scroll' || o === 'hidden') { clipped = true; break; }
  }
  const r = e.getBoundingClientRect();
  if (!clipped && r.width > 0 && r.right > width + 1) out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' right=' + Math.round(r.right));
}
return [document.documentElement.scrollWidth, width, out.slice(0, 5)];
"""

CHARTS = """
return Array.from(document.querySelectorAll('svg.chart')).map(s => [
  s.getAttribute('aria-label') || (s.querySelector('title') || {}).textContent || '',
  s.querySelectorAll('circle, rect, path, polyline, line').length]);
"""


OPPORTUNITIES = """
return Array.from(document.querySelectorAll('#opportunity-list > li')).map(li => [
  (li.querySelector('strong.title') || {}).innerText || '', li.getAttribute('data-kind') || '',
  li.getAttribute('data-monthly-usd') || '', li.innerText]);
"""


def grouped_cents(value):
    """A figure as the page writes it: thousands separated, to the cent (1,234.56)."""
    return "{:,.2f}".format(value)


def check_opportunities(driver, where, report):
    """The page's top-5 list against the JSON's `opportunities`: same order, titles, kinds
    and USD per month to the cent (the hook `data-monthly-usd` and the visible text)."""
    problems = []
    with open(report, encoding="utf-8") as f:
        expected = json.load(f).get("opportunities")
    if expected is None:
        return ["%s: %s has no opportunities" % (where, report)]
    shown = driver.execute_script(OPPORTUNITIES)
    if len(shown) != len(expected):
        problems.append("%s: %d opportunities listed, the JSON has %d" % (where, len(shown), len(expected)))
    for rank, ((title, kind, monthly, text), o) in enumerate(zip(shown, expected), start=1):
        cents = "%.2f" % o["monthlyUSD"]
        if title != o["title"]:
            problems.append("%s: opportunity %d is %r, the JSON's %r" % (where, rank, title, o["title"]))
        if kind != o["kind"]:
            problems.append("%s: opportunity %d is of kind %r, the JSON's %r" % (where, rank, kind, o["kind"]))
        if monthly != cents:
            problems.append("%s: opportunity %d saves %s USD per month, the JSON %s" % (where, rank, monthly, cents))
        if grouped_cents(o["monthlyUSD"]) + " USD per month" not in text:
            problems.append("%s: opportunity %d does not show %s USD per month" % (where, rank, grouped_cents(o["monthlyUSD"])))
    figures = [o["monthlyUSD"] for o in expected]
    if figures != sorted(figures, reverse=True) or len(expected) > 5:
        problems.append("%s: the JSON's opportunities are not a top 5, largest first: %s" % (where, figures))
    print("checked %s: %d opportunities equal %s's" % (where, len(shown), report))
    return problems


def check(driver, path, expected, shots, report=None):
    problems = []
    name = os.path.splitext(os.path.basename(path))[0]
    for width in WIDTHS:
        driver.set_window_size(width, 1000)
        driver.get("file://" + os.path.abspath(path))
        where = "%s at %d px" % (path, width)
        for entry in driver.get_log("browser"):
            if entry.get("level") == "SEVERE":
                problems.append("%s: console error: %s" % (where, entry.get("message")))
        scroll_width, client_width, wide = driver.execute_script(OVERFLOW)
        if scroll_width > client_width or wide:
            problems.append("%s: wider than the page (%d > %d px): %s" % (where, scroll_width, client_width, ", ".join(wide)))
        charts = driver.execute_script(CHARTS)
        if not charts:
            problems.append("%s: no chart (svg.chart)" % where)
        for label, marks in charts:
            if marks < 3:
                problems.append("%s: chart '%s' has %d marks" % (where, label[:60], marks))
        if driver.execute_script("return document.scripts.length") != 0:
            problems.append("%s: the page holds a script element" % where)
        if driver.execute_script("return window.__pwned || 0") != 0:
            problems.append("%s: a script from a user-supplied name ran" % where)
        if report:
            problems += check_opportunities(driver, where, report)
        if expected and expected not in driver.execute_script("return document.body.innerText"):
            problems.append("%s: the text %r is not shown" % (where, expected))
        height = driver.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
        driver.set_window_size(width, min(max(height, 600), 16000))
        shot = os.path.join(shots, "%s-%d.png" % (name, width))
        driver.save_screenshot(shot)
        print("checked %s: %d charts, page %d px wide, screenshot %s" % (where, len(charts), scroll_width, shot))
    return problems


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    shots = argv[1]
    os.makedirs(shots, exist_ok=True)
    driver = browser()
    problems = []
    try:
        for argument in argv[2:]:
            # PAGE.html, then optionally =REPORT.json, then optionally :EXPECTED_TEXT.
            match = re.fullmatch(r"(.+?\.html)(?:=(.+?\.json))?(?::(.*))?", argument, re.DOTALL)
            if not match:
                sys.exit("expected PAGE.html[=REPORT.json][:EXPECTED_TEXT], found %r" % argument)
            path, report, expected = match.group(1), match.group(2), match.group(3) or ""
            problems += check(driver, path, expected, shots, report)
    finally:
        driver.quit()
    for problem in problems:
        print("FAIL " + problem)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main(sys.argv)
