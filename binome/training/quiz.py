"""A quiz question's choices: one per line in the source, the right ones marked with "*"."""

from dataclasses import dataclass

from binome.training.models import Question


@dataclass(frozen=True)
class Choice:
    index: int
    label: str
    correct: bool


def parse(choices: str) -> list[Choice]:
    """Read the source lines into choices, blank lines left out."""
    found: list[Choice] = []
    for line in choices.splitlines():
        text = line.strip()
        if not text:
            continue
        correct = text.startswith("*")
        found.append(Choice(len(found), text.lstrip("*").strip(), correct))
    return found


def localized_choices(question: Question, language: str | None = None) -> list[Choice]:
    """The choices in the reader's language when a translation gives every line, else the source."""
    source = parse(question.choices)
    translated = question.localized("choices", language)
    if translated.fallback or translated.language == question.source_language():
        return source
    lines = [line.strip().lstrip("*").strip() for line in translated.text.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) != len(source):
        return source
    return [Choice(c.index, lines[c.index], c.correct) for c in source]


def score(questions: list[Question], answers: dict[int, set[int]]) -> int:
    """Return the share of questions (in %) answered exactly right: every right choice, no other."""
    if not questions:
        return 100
    right = 0
    for question in questions:
        wanted = {c.index for c in parse(question.choices) if c.correct}
        if answers.get(question.pk, set()) == wanted:
            right += 1
    return round(100 * right / len(questions))
