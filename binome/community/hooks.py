"""What community hands to the apps below it: e-mail collectors and next steps."""


def register_all() -> None:
    pass
