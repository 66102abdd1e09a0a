"""requirements.lock, which `make install` installs from, holds what pyproject.toml asks for.

A dependency added to pyproject.toml without `make lock` fails here, with the command to run,
rather than on a fresh clone; and every pin carries hashes, or `pip --require-hashes` refuses it.
"""

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
# The Pythons Binôme supports; Linux on x86-64 and ARM, where it is installed.
ENVIRONMENTS = [
    {
        "python_version": version,
        "python_full_version": f"{version}.0",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "sys_platform": "linux",
        "platform_system": "Linux",
        "os_name": "posix",
        "platform_machine": machine,
    }
    for version in ("3.12", "3.13")
    for machine in ("x86_64", "aarch64")
]


def locked() -> list[tuple[Requirement, list[str]]]:
    """Each pin of the lock with its hashes."""
    pins: list[tuple[Requirement, list[str]]] = []
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        text = line.strip().removesuffix("\\").strip()
        if not text or text.startswith("#"):
            continue
        if text.startswith("--hash="):
            pins[-1][1].append(text.removeprefix("--hash="))
        else:
            pins.append((Requirement(text), []))
    return pins


def wanted() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [
        Requirement(text)
        for text in [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    ]


def test_the_lock_pins_every_dependency_of_pyproject_in_a_version_it_accepts():
    pins = locked()
    for environment in ENVIRONMENTS:
        installed = {
            canonicalize_name(pin.name): next(iter(pin.specifier)).version
            for pin, _hashes in pins
            if pin.marker is None or pin.marker.evaluate(environment)
        }
        for requirement in wanted():
            name = canonicalize_name(requirement.name)
            assert name in installed, f"{name} is not in requirements.lock: run `make lock`"
            assert requirement.specifier.contains(installed[name], prereleases=True), (
                f"requirements.lock has {name} {installed[name]}, pyproject.toml asks for "
                f"{requirement.specifier}: run `make lock`"
            )


def test_every_pin_is_exact_and_carries_hashes():
    pins = locked()
    assert len(pins) > 20
    for pin, hashes in pins:
        assert str(pin.specifier).startswith("=="), pin
        assert hashes and all(h.startswith("sha256:") for h in hashes), pin
