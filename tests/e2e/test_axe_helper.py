"""The axe helper finds what it is meant to find (a check that cannot fail
proves nothing), and the login page passes it."""

import pytest

from tests.axe import overflow, serious_violations

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
