"""A guide's or a module's text as HTML: "## " lines are headings, "- " lines a list, links live."""

from django import template
from django.template.defaultfilters import urlize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from binome.core.content import Localized, Translatable, direction_of

register = template.Library()


def _inline(text: str) -> str:
    # urlize escapes the text itself and adds rel="nofollow" to every link.
    return str(urlize(text, autoescape=True))


def render_guide(text: str) -> SafeString:
    parts: list[str] = []
    items: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if items:
            parts.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
            items.clear()
        if paragraph:
            parts.append("<p>" + "<br>".join(paragraph) + "</p>")
            paragraph.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("#"):
            flush()
            level = min(len(line) - len(line.lstrip("#")), 3)
            tag = "h3" if level <= 2 else "h4"
            parts.append(f"<{tag}>{conditional_escape(line.lstrip('#').strip())}</{tag}>")
        elif line.startswith(("- ", "* ")):
            if paragraph:
                flush()
            items.append(_inline(line[2:].strip()))
        else:
            if items:
                flush()
            paragraph.append(_inline(line))
    flush()
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


@register.filter
def guide_of(obj: Translatable | None, field: str) -> SafeString:
    """`{{ module|guide_of:"body" }}`: the text in the reader's language, as a guide."""
    if obj is None:
        return mark_safe("")
    return guide(obj.localized(field))


@register.filter
def guide(value: Localized | str) -> SafeString:
    """Render a localized text as a guide, its language and direction marked."""
    if isinstance(value, Localized):
        if not value.text:
            return mark_safe("")
        return format_html(
            '<div class="guide" lang="{}" dir="{}">{}</div>',
            value.language,
            direction_of(value.language),
            render_guide(value.text),
        )
    return format_html('<div class="guide">{}</div>', render_guide(str(value or "")))


@register.filter
def missing_in(obj: Translatable, languages: list[str]) -> str:
    """The languages (codes, upper case) a staff member still has to translate, or "—"."""
    missing = obj.missing_languages(languages or [])
    return ", ".join(code.upper() for code in missing) or "—"
