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


_SCROLL_BOXES = """() => {
  const found = [];
  const scrolls = (v) => v === 'auto' || v === 'scroll';
  const nameOf = (el) => {
    const label = (el.getAttribute('aria-label') || '').trim();
    if (label) return label;
    const ids = (el.getAttribute('aria-labelledby') || '').split(/\\s+/);
    return ids.map((id) => document.getElementById(id))
      .filter(Boolean).map((n) => n.textContent.trim()).join(' ').trim();
  };
  // Form controls scroll their own text and are named by their label.
  const controls = new Set(['TEXTAREA', 'SELECT', 'INPUT']);
  const landmarks = {SECTION: 'region', NAV: 'navigation', ASIDE: 'complementary',
                     MAIN: 'main'};
  for (const el of document.body.querySelectorAll('*')) {
    if (controls.has(el.tagName)) continue;
    const style = getComputedStyle(el);
    const x = scrolls(style.overflowX), y = scrolls(style.overflowY);
    if (!x && !y) continue;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || style.visibility === 'hidden') continue;
    const focusable = el.hasAttribute('tabindex') && el.tabIndex >= 0;
    const scrolled = (x && el.scrollWidth > el.clientWidth + 1)
      || (y && el.scrollHeight > el.clientHeight + 1);
    if (!focusable && !scrolled) continue;
    const role = el.getAttribute('role') || landmarks[el.tagName] || '';
    const name = nameOf(el);
    if (role && name) continue;
    const what = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.classList.length ? '.' + [...el.classList].join('.') : '');
    const why = [focusable ? 'focusable' : 'scrolls', role ? '' : 'no role',
                 name ? '' : 'no name'].filter(Boolean).join(', ');
    found.push(`${what} (${why})`);
  }
  return found;
}"""


def unnamed_scroll_boxes(page) -> list[str]:
    """Scroll boxes (overflow auto or scroll) that are focusable or scroll now,
    without a role (region) and an accessible name: a keyboard user lands on
    them, and a screen reader must say what they hold."""
    return page.evaluate(_SCROLL_BOXES)
