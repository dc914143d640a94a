"""Touch targets for browser tests: every control a finger must hit is at least
44 × 44 CSS pixels (WCAG 2.5.5), except links inside running text (the "inline"
exception). A checkbox or radio button counts with its label, which sets it too."""

MIN_TARGET = 44

_SMALL_TARGETS = """(min) => {
  const found = [];
  const selector =
    'a[href], button, summary, select, input:not([type=hidden]), textarea';
  for (const el of document.querySelectorAll(selector)) {
    let box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (el.type === 'checkbox' || el.type === 'radio') {
      // Its label is part of the target: a tap on either sets the box.
      for (const label of el.labels || []) {
        const l = label.getBoundingClientRect();
        if (!l.width || !l.height) continue;
        const left = Math.min(box.left, l.left), top = Math.min(box.top, l.top);
        const right = Math.max(box.right, l.right);
        const bottom = Math.max(box.bottom, l.bottom);
        box = {width: right - left, height: bottom - top};
      }
    }
    if (!box.width || !box.height || style.visibility === 'hidden') continue;
    if (el.closest('.visually-hidden, .visually-hidden-focusable')) continue;
    if (el.tagName === 'A' && style.display === 'inline') {
      // A link in a sentence: the sentence around it is longer than the link.
      const block = el.parentElement.closest('p, li, dd, td, th, div');
      const text = (node) => node.textContent.replace(/\\s+/g, ' ').trim();
      if (block && text(block).length > text(el).length) continue;
    }
    if (box.width < min - 0.5 || box.height < min - 0.5) {
      const label = (el.innerText || el.value || el.name || el.tagName)
        .trim().slice(0, 40);
      const size = `${Math.round(box.width)}x${Math.round(box.height)}`;
      found.push(`${el.tagName.toLowerCase()} "${label}" ${size}`);
    }
  }
  return found;
}"""


def small_targets(page, *, minimum: int = MIN_TARGET) -> list[str]:
    """The visible controls smaller than ``minimum`` CSS pixels either way."""
    return page.evaluate(_SMALL_TARGETS, minimum)
