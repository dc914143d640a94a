"""teach.presenting.json_value: every caller gets its own value; what one caller
changes, the next one never sees."""

import pytest

from teach.presenting import json_value


@pytest.mark.parametrize(
    ("text", "change"),
    [
        ('["101", "102"]', lambda value: value.append("999")),
        ('{"id": "101", "text": "A"}', lambda value: value.update(text="changed")),
        (
            '[{"id": "101", "text": "A", "fraction": 1.0}]',
            lambda value: value[0].update(fraction=0.0),
        ),
    ],
    ids=["list", "object", "nested"],
)
def test_changing_a_decoded_value_does_not_change_the_next_callers(text, change):
    first = json_value(text)
    expected = json_value(text)

    change(first)

    assert json_value(text) == expected
    assert json_value(text) is not first


@pytest.mark.parametrize(
    ("text", "value"), [('"101"', "101"), ("2.5", 2.5), ("null", None), (None, None)]
)
def test_scalars_decode(text, value):
    assert json_value(text) == value
