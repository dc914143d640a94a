"""Accessibility and layout checks for browser tests: axe-core (bundled by the
``axe-playwright-python`` package, served from disk, never a CDN) and the page
width.

``serious_violations(page)`` runs axe on the page as it is and returns the
serious and critical violations as short strings (rule, impact, the first
targets), so a failing assertion says what to fix. ``overflow(page)`` is how
many CSS pixels the document is wider than the window (0 when it fits).
"""

from functools import cache
from pathlib import Path

SERIOUS = frozenset({"serious", "critical"})


@cache
def _axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


def violations(page, *, impacts=SERIOUS) -> list[str]:
    # evaluate() runs through the DevTools protocol, so the site's
    # Content-Security-Policy (no inline scripts) does not stop it.
    page.evaluate(_axe_source())
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    found = []
    for item in result["violations"]:
        if item.get("impact") in impacts:
            targets = [", ".join(node["target"]) for node in item["nodes"][:3]]
            found.append(f"{item['id']} ({item['impact']}): {'; '.join(targets)}")
    return found


def serious_violations(page) -> list[str]:
    return violations(page, impacts=SERIOUS)


def overflow(page) -> int:
    return page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - window.innerWidth"
    )
