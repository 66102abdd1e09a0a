"""Reading numbers that a request carries in its query string or form."""


def whole_number(value: str | None) -> int | None:
    """Return the number an id or version field holds, or None if it is not one.

    Only ASCII digits ("²".isdigit() is true but int("²") fails) and at most 18 of them: a longer
    one cannot be a database id and would make int() or the database refuse it with an error.
    """
    if value and len(value) <= 18 and value.isascii() and value.isdigit():
        return int(value)
    return None
