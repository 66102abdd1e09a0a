"""Compile the .po catalogues to .mo, or check that French and English are complete.

Uses polib, so neither running nor testing Binôme needs GNU gettext on the machine.
"""

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"
COMPLETE = ["fr"]  # English is the source language: its catalogue may stay empty.


def compile_all() -> None:
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))


def check() -> int:
    problems = []
    for lang in COMPLETE:
        for po_path in sorted((LOCALE / lang / "LC_MESSAGES").glob("*.po")):
            catalogue = polib.pofile(str(po_path))
            for entry in catalogue:
                if entry.obsolete:
                    continue
                if "fuzzy" in entry.flags:
                    problems.append(f"{po_path}: fuzzy: {entry.msgid[:70]!r}")
                elif not entry.translated():
                    problems.append(f"{po_path}: untranslated: {entry.msgid[:70]!r}")
    for problem in problems:
        print(problem)
    if problems:
        print(
            f"{len(problems)} translation(s) missing or fuzzy. Run `make messages` and fill them."
        )
        return 1
    print("Translations complete for: " + ", ".join(COMPLETE))
    return 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "compile":
        compile_all()
        sys.exit(0)
    sys.exit(check())
