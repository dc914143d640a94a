"""The axe helper finds what it is meant to find (a check that cannot fail
proves nothing), and the login page passes it."""

import pytest

from tests.axe import overflow, serious_violations, unnamed_scroll_boxes

pytestmark = pytest.mark.django_db(transaction=True)


def test_axe_reports_an_input_without_a_label_and_an_over_wide_page(page):
    page.goto("/accounts/login/")
    page.evaluate(
        "() => { const i = document.createElement('input');"
        " document.querySelector('main').append(i);"
        " const d = document.createElement('div'); d.style.width = '3000px';"
        " d.textContent = 'wide';"
        " document.body.append(d); }"
    )
    found = serious_violations(page)
    assert any(item.startswith("label (critical)") for item in found), found
    assert overflow(page) > 1000


def test_the_login_page_has_no_serious_violation_and_fits_a_phone(page):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/accounts/login/")
    assert serious_violations(page) == []
    assert overflow(page) <= 0


def test_a_focusable_scroll_box_without_a_name_is_reported(page):
    page.goto("/accounts/login/")
    page.evaluate(
        "() => { const box = document.createElement('div');"
        " box.id = 'box'; box.tabIndex = 0; box.style.overflowX = 'auto';"
        " box.textContent = 'rows';"
        " const named = document.createElement('div');"
        " named.tabIndex = 0; named.style.overflowX = 'auto';"
        " named.setAttribute('role', 'region');"
        " named.setAttribute('aria-label', 'Grades');"
        " document.querySelector('main').append(box, named); }"
    )
    assert unnamed_scroll_boxes(page) == ["div#box (focusable, no role, no name)"]
