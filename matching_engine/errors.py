"""The one exception the engine raises for bad input."""


class MatchingError(ValueError):
    """An instance the engine cannot accept, naming the offending field and person."""

    def __init__(self, message: str, *, field: str = "", id: str | None = None) -> None:
        self.field = field
        self.id = id
        where = []
        if id is not None:
            where.append(f"id {id!r}")
        if field:
            where.append(f"field {field!r}")
        prefix = f"{', '.join(where)}: " if where else ""
        super().__init__(prefix + message)
        self.detail = message
