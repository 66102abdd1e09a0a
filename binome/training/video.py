"""A module's video link as an address a page may embed (the players SECURE_CSP allows)."""

import re

_YOUTUBE = re.compile(
    r"^https?://(?:www\.|m\.)?(?:youtube\.com/(?:watch\?(?:.*&)?v=|embed/|shorts/)|youtu\.be/)"
    r"([A-Za-z0-9_-]{6,20})"
)
_VIMEO = re.compile(r"^https?://(?:www\.)?vimeo\.com/(\d{3,12})")


def embed_url(url: str) -> str:
    """Return the player address for a YouTube or Vimeo link, else "" (shown as a plain link)."""
    if match := _YOUTUBE.match(url or ""):
        return f"https://www.youtube-nocookie.com/embed/{match.group(1)}"
    if match := _VIMEO.match(url or ""):
        return f"https://player.vimeo.com/video/{match.group(1)}"
    return ""
