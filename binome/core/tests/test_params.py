import pytest

from binome.core.params import whole_number


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("42", 42),
        ("0", 0),
        ("999999999999999999", 999_999_999_999_999_999),
        ("9999999999999999999", None),  # past a database id: refused, not an overflow
        ("9" * 5000, None),  # past int()'s digit limit
        ("²", None),
        ("٣", None),  # an Arabic-Indic digit: a digit, but not an id
        ("-1", None),
        ("1.5", None),
        (" 1", None),
        ("", None),
        (None, None),
    ],
)
def test_whole_number_reads_only_plain_ids(value, expected):
    assert whole_number(value) == expected
