"""What an uploaded document really is, judged by its bytes, never by the name the browser sends."""

import io
import zipfile
from typing import IO

# Office documents are zip files (OOXML, OpenDocument) or OLE compound files (Word 97–2003).
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAGIC = {
    b"%PDF-": "pdf",
    b"\xff\xd8\xff": "jpg",
    b"\x89PNG\r\n\x1a\n": "png",
    b"GIF87a": "gif",
    b"GIF89a": "gif",
}
OOXML = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
OPENDOCUMENT = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}
# Shown in the browser (in a sandbox); the others are downloaded.
INLINE = frozenset({"pdf", "jpg", "png", "gif", "webp"})


def sniff(stream: IO[bytes], name: str = "") -> str | None:
    """Return the extension the content proves (pdf, docx, png…), or None for anything else."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    for magic, extension in MAGIC.items():
        if head.startswith(magic):
            return extension
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(OLE):
        # The OLE container does not say which program wrote it; the name chooses among three.
        guessed = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        return guessed if guessed in {"doc", "xls", "ppt"} else "doc"
    if head.startswith(b"PK\x03\x04"):
        return _zipped(stream)
    return None


def _zipped(stream: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(stream.read())) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                return OPENDOCUMENT.get(declared)
            if "[Content_Types].xml" in names:
                for prefix, extension in OOXML.items():
                    if any(entry.startswith(prefix) for entry in names):
                        return extension
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        stream.seek(0)
    return None
