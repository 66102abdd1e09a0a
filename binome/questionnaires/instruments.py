"""A questionnaire in a file: read, checked line by line, and turned into plain data.

The library (library/*.json) and an organisation's own instruments share one JSON format:

    {"format": "binome-questionnaire/1", "key": "duo_pulse", "language": "fr",
     "title": {"fr": "…", "en": "…"}, "description": {…}, "source": "…", "licence": "…",
     "validated": false, "validated_languages": [],
     "items": [{"key": "q1", "kind": "likert", "text": {…}, "min": 1, "max": 5,
                "anchors": {"1": {…}, "5": {…}}, "domain": "work", "required": false},
               {"key": "q2", "kind": "single", "text": {…},
                "options": [{"value": "yes", "score": 1, "label": {…}}, …]}],
     "scales": [{"key": "all", "name": {…}, "rule": "mean", "items": ["q1"],
                 "reversed": [], "min_answered": 1}]}

Every problem is reported with the line of the object it was found in and a reason a coordinator
can act on; nothing is saved from a file that has one.
"""

import json
import json.scanner
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

FORMAT = "binome-questionnaire/1"
KINDS = ("likert", "single", "multiple", "number", "short_text", "long_text", "goal")
RULES = ("sum", "mean")
LANGUAGES = ("fr", "en", "ar", "uk")
MAX_ITEMS = 200


class InstrumentError(ValueError):
    """A file that is not a valid instrument: every problem, each with its line."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"line {line}: {reason}" for line, reason in problems))


class _Located(dict[str, Any]):
    line: int = 1


def _locating_loads(text: str) -> Any:
    """json.loads whose objects remember the line they start on."""
    # The stubs do not declare the decoder's hooks; they are public attributes of json.decoder.
    decoder: Any = json.JSONDecoder()
    plain = decoder.parse_object

    def parse_object(s_and_end: tuple[str, int], *args: Any, **kwargs: Any) -> Any:
        s, end = s_and_end
        obj, after = plain(s_and_end, *args, **kwargs)
        located = _Located(obj)
        located.line = s.count("\n", 0, end) + 1
        return located, after

    decoder.parse_object = parse_object
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    return decoder.decode(text)


@dataclass
class ItemData:
    key: str
    kind: str
    text: dict[str, str]
    help: dict[str, str] = field(default_factory=dict)
    domain: str = ""
    required: bool = False
    min_value: int | None = None
    max_value: int | None = None
    anchors: dict[str, dict[str, str]] = field(default_factory=dict)
    options: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ScaleData:
    key: str
    name: dict[str, str]
    rule: str
    item_keys: list[str]
    reversed_keys: list[str]
    min_answered: int
    reliability: float | None = None


@dataclass
class InstrumentData:
    key: str
    language: str
    title: dict[str, str]
    description: dict[str, str]
    source: str
    licence: str
    validated: bool
    validated_languages: list[str]
    items: list[ItemData]
    scales: list[ScaleData]


class _Checker:
    def __init__(self) -> None:
        self.problems: list[tuple[int, str]] = []

    def fail(self, where: Any, reason: str) -> None:
        self.problems.append((getattr(where, "line", 1), reason))

    def texts(self, where: Any, value: Any, name: str, *, required: bool = True) -> dict[str, str]:
        if value is None and not required:
            return {}
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            self.fail(where, _("“%(name)s” must map language codes to texts") % {"name": name})
            return {}
        unknown = sorted(set(value) - set(LANGUAGES))
        if unknown:
            self.fail(
                where,
                _("“%(name)s” has an unknown language: %(codes)s")
                % {"name": name, "codes": ", ".join(unknown)},
            )
        texts = {k: v.strip() for k, v in value.items() if k in LANGUAGES and v.strip()}
        if required and not texts:
            self.fail(where, _("“%(name)s” is empty") % {"name": name})
        return texts

    def key(self, where: Any, value: Any, name: str) -> str:
        if not isinstance(value, str) or not value or len(value) > 80:
            self.fail(where, _("“%(name)s” must be a short name") % {"name": name})
            return ""
        if not all(c.isascii() and (c.isalnum() or c in "-_") for c in value):
            self.fail(
                where,
                _("“%(value)s” may hold only letters, digits, - and _") % {"value": value},
            )
        return value


def _item(check: _Checker, raw: Any, language: str) -> ItemData | None:
    if not isinstance(raw, dict):
        check.fail(raw, _("an item must be an object"))
        return None
    key = check.key(raw, raw.get("key"), "key")
    kind = raw.get("kind")
    if kind not in KINDS:
        check.fail(
            raw,
            _("item “%(key)s”: unknown kind “%(kind)s” (one of %(kinds)s)")
            % {"key": key, "kind": kind, "kinds": ", ".join(KINDS)},
        )
        return None
    text = check.texts(raw, raw.get("text"), "text")
    if text and language not in text:
        check.fail(
            raw,
            _("item “%(key)s” has no text in the source language %(language)s")
            % {"key": key, "language": language},
        )
    item = ItemData(
        key=key,
        kind=kind,
        text=text,
        help=check.texts(raw, raw.get("help"), "help", required=False),
        domain=str(raw.get("domain", ""))[:80],
        required=bool(raw.get("required", False)),
    )
    if kind in ("likert", "number"):
        low, high = raw.get("min"), raw.get("max")
        if not isinstance(low, int) or not isinstance(high, int) or low >= high:
            check.fail(raw, _("item “%(key)s” needs whole numbers min < max") % {"key": key})
        else:
            item.min_value, item.max_value = low, high
    if kind == "goal":
        item.min_value, item.max_value = -2, 2
    if kind == "likert":
        anchors = raw.get("anchors") or {}
        if not isinstance(anchors, dict) or not anchors:
            check.fail(raw, _("item “%(key)s” needs its anchors") % {"key": key})
        else:
            for point, label in anchors.items():
                inside = item.min_value is not None and item.max_value is not None
                if not point.lstrip("-").isdigit() or (
                    inside and not item.min_value <= int(point) <= item.max_value  # type: ignore[operator]
                ):
                    check.fail(
                        raw,
                        _("item “%(key)s”: anchor “%(point)s” is outside its range")
                        % {"key": key, "point": point},
                    )
                    continue
                item.anchors[point] = check.texts(raw, label, "anchors")
    if kind in ("single", "multiple"):
        options = raw.get("options")
        if not isinstance(options, list) or len(options) < 2:
            check.fail(raw, _("item “%(key)s” needs at least two options") % {"key": key})
        else:
            seen: set[str] = set()
            for option in options:
                if not isinstance(option, dict):
                    check.fail(raw, _("an option must be an object"))
                    continue
                value = check.key(option, option.get("value"), "value")
                if value in seen:
                    check.fail(option, _("option “%(value)s” twice") % {"value": value})
                seen.add(value)
                score = option.get("score")
                if score is not None and (
                    isinstance(score, bool) or not isinstance(score, int | float)
                ):
                    check.fail(
                        option, _("option “%(value)s”: score must be a number") % {"value": value}
                    )
                    score = None
                item.options.append(
                    {
                        "value": value,
                        "score": score,
                        "label": check.texts(option, option.get("label"), "label"),
                    }
                )
    return item


def _scale(check: _Checker, raw: Any, items: dict[str, ItemData]) -> ScaleData | None:
    if not isinstance(raw, dict):
        check.fail(raw, _("a scale must be an object"))
        return None
    key = check.key(raw, raw.get("key"), "key")
    rule = raw.get("rule", "mean")
    if rule not in RULES:
        check.fail(raw, _("scale “%(key)s”: the rule must be sum or mean") % {"key": key})
    keys = raw.get("items")
    if not isinstance(keys, list) or not keys:
        check.fail(raw, _("scale “%(key)s” lists no items") % {"key": key})
        return None
    for item_key in keys:
        item = items.get(item_key)
        if item is None:
            check.fail(
                raw,
                _("scale “%(key)s”: no item “%(item)s”") % {"key": key, "item": item_key},
            )
        elif item.kind not in ("likert", "number", "goal", "single"):
            check.fail(
                raw,
                _("scale “%(key)s”: item “%(item)s” gives no number")
                % {"key": key, "item": item_key},
            )
    reversed_keys = raw.get("reversed", [])
    if not isinstance(reversed_keys, list) or not set(reversed_keys) <= set(keys):
        check.fail(raw, _("scale “%(key)s”: reversed items must be among its items") % {"key": key})
        reversed_keys = []
    minimum = raw.get("min_answered", len(keys))
    if not isinstance(minimum, int) or not 1 <= minimum <= len(keys):
        check.fail(
            raw,
            _("scale “%(key)s”: min_answered must be between 1 and %(n)s")
            % {"key": key, "n": len(keys)},
        )
        minimum = len(keys)
    reliability = raw.get("reliability")
    if reliability is not None and not (
        isinstance(reliability, int | float) and 0 < reliability < 1
    ):
        check.fail(raw, _("scale “%(key)s”: reliability must be between 0 and 1") % {"key": key})
        reliability = None
    return ScaleData(
        key=key,
        name=check.texts(raw, raw.get("name"), "name"),
        rule=rule if rule in RULES else "mean",
        item_keys=list(keys),
        reversed_keys=list(reversed_keys),
        min_answered=minimum,
        reliability=reliability,
    )


def parse_instrument(text: str) -> InstrumentData:
    """Return the instrument a file holds, or raise InstrumentError with every problem."""
    try:
        raw = _locating_loads(text)
    except json.JSONDecodeError as error:
        raise InstrumentError([(error.lineno, _("not valid JSON: %s") % error.msg)]) from None
    check = _Checker()
    if not isinstance(raw, dict):
        raise InstrumentError([(1, _("the file must hold one JSON object"))])
    if raw.get("format") != FORMAT:
        check.fail(raw, _("“format” must be “%(format)s”") % {"format": FORMAT})
    key = check.key(raw, raw.get("key"), "key")
    language = raw.get("language", "fr")
    if language not in LANGUAGES:
        check.fail(raw, _("unknown source language “%(language)s”") % {"language": language})
        language = "fr"
    title = check.texts(raw, raw.get("title"), "title")
    if title and language not in title:
        check.fail(raw, _("the title has no text in the source language"))
    for name in ("source", "licence"):
        if not isinstance(raw.get(name), str) or not raw.get(name, "").strip():
            check.fail(raw, _("say the instrument's %(name)s") % {"name": name})
    raw_items = raw.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        check.fail(raw, _("the questionnaire has no items"))
        raw_items = []
    if len(raw_items) > MAX_ITEMS:
        check.fail(raw, _("more than %(n)s items") % {"n": MAX_ITEMS})
        raw_items = []
    items: dict[str, ItemData] = {}
    for raw_item in raw_items:
        item = _item(check, raw_item, language)
        if item is None:
            continue
        if item.key in items:
            check.fail(raw_item, _("item “%(key)s” twice") % {"key": item.key})
        items[item.key] = item
    raw_scales = raw.get("scales", [])
    scales = []
    if not isinstance(raw_scales, list):
        check.fail(raw, _("“scales” must be a list"))
        raw_scales = []
    for raw_scale in raw_scales:
        scale = _scale(check, raw_scale, items)
        if scale is not None:
            scales.append(scale)
    validated_languages = raw.get("validated_languages", [])
    if not isinstance(validated_languages, list):
        check.fail(raw, _("“validated_languages” must be a list"))
        validated_languages = []
    if check.problems:
        raise InstrumentError(sorted(check.problems))
    return InstrumentData(
        key=key,
        language=language,
        title=title,
        description=check.texts(raw, raw.get("description"), "description", required=False),
        source=raw["source"].strip(),
        licence=raw["licence"].strip(),
        validated=bool(raw.get("validated", False)),
        validated_languages=[code for code in validated_languages if code in LANGUAGES],
        items=list(items.values()),
        scales=scales,
    )
