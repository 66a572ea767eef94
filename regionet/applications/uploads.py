"""The check every attachment passes before it is stored: its type by content, size and name.

``check_upload(file)`` accepts PDF, Word (DOCX), Excel (XLSX) and OpenDocument text (ODT)
files recognised by what they contain, never by their name or the browser's content type,
and returns what the registry keeps (kind, content type, a safe name, size, SHA-256). A
refusal is a ``ValidationError`` with a code and a message in the user's language.
``AttachmentField`` is the form field that runs it.
"""

import hashlib
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from types import MappingProxyType

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class AttachmentKind:
    extension: str
    content_type: str
    label: str


ALLOWED_KINDS = MappingProxyType(
    {
        "pdf": AttachmentKind(".pdf", "application/pdf", _("PDF")),
        "docx": AttachmentKind(
            ".docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            _("Word (DOCX)"),
        ),
        "xlsx": AttachmentKind(
            ".xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _("Excel (XLSX)"),
        ),
        "odt": AttachmentKind(
            ".odt", "application/vnd.oasis.opendocument.text", _("OpenDocument text (ODT)")
        ),
    }
)

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MEGABYTE = 1024 * 1024

# Limits on what a ZIP-based document may unpack to. Nothing here unpacks the members, but
# the officers' office programs, previewers and virus scanners will.
MAX_UNPACKED_BYTES = 200 * MEGABYTE
MAX_COMPRESSION_RATIO = 100
# Small XML parts of real documents compress far beyond 100:1; a member only counts as a
# bomb once it unpacks to more than this.
RATIO_CHECKED_FROM_BYTES = MEGABYTE
MAX_ZIP_MEMBERS = 10_000
# The ZIP parts read to identify a document ([Content_Types].xml, manifest, mimetype).
MAX_DESCRIPTOR_BYTES = MEGABYTE

MAX_NAME_LENGTH = 120
# The usual limit of one name on a file system, in UTF-8 bytes.
MAX_NAME_BYTES = 255
FALLBACK_NAME = "attachment"

# Extensions of programs, scripts and active web content. A name carrying one of these
# anywhere ("offer.pdf.exe", "offer.exe.pdf") is refused before anything else. ".com" is
# left out: it is too often part of a company's name ("example.com.pdf"), and a name ending
# in it fails the name check anyway.
DANGEROUS_EXTENSIONS = frozenset(
    [
        # Windows programs, installers and shortcuts
        *("exe", "scr", "pif", "msi", "msp", "dll", "cpl", "ocx", "gadget", "lnk", "url"),
        *("reg", "scf"),
        # scripts and shells
        *("bat", "cmd", "js", "jse", "mjs", "cjs", "vbs", "vbe", "wsf", "wsh", "wsc", "hta"),
        *("ps1", "psm1", "psd1", "sh", "bash", "zsh", "csh", "ksh", "command", "jar"),
        # active web content, and what a misconfigured server would run ("offer.php.pdf")
        *("html", "htm", "xhtml", "shtml", "mht", "mhtml", "svg", "svgz"),
        *("php", "phtml", "asp", "aspx", "jsp", "cgi", "py", "pl"),
        # disk images and packages that open straight into programs
        *("iso", "img", "vhd", "vhdx", "appimage", "apk", "deb", "rpm", "dmg", "pkg", "app"),
    ]
)

# Right-to-left and isolate controls can make "offerexe.pdf" display as "offerfdp.exe" and
# the reverse; no real document name needs them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")

_WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"{port}{n}" for port in ("COM", "LPT") for n in range(10)]
)
_KEPT_PUNCTUATION = frozenset("-_.()")

PDF_MAGIC = b"%PDF-"
PDF_END = b"%%EOF"
PDF_HEADER_WINDOW = 1024
PDF_TRAILER_WINDOW = 1024
PDF_ENCRYPT = b"/Encrypt"
# A cross-reference table of a linearised first page or a stream's dictionary fits in this.
PDF_XREF_WINDOW = 64 * 1024
ZIP_MAGIC = b"PK\x03\x04"
# An OLE compound file: legacy .doc/.xls, and also the wrapper Office puts around a DOCX or
# XLSX saved with a password to open.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")

# Traditional, strong, and central-directory encryption (APPNOTE 4.4.4).
_ZIP_ENCRYPTION_FLAGS = 0x1 | 0x40 | 0x2000
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
OOXML_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
}
# Content types and parts that only documents with macros have (VBA projects, .docm/.xlsm/
# .xlsb main parts, Excel 4.0 macro sheets).
_OOXML_MACRO_TYPE_MARKERS = ("macroenabled", "vbaproject", "macrosheet")
_OOXML_MACRO_PART = re.compile(r"(^|/)vbaproject\.bin$|(^|/)macrosheets/", re.IGNORECASE)
# OpenDocument macros: Basic modules inside a library folder, or scripts in other languages.
_ODF_MACRO_PART = re.compile(
    r"^Basic/[^/]+/(?!script-lb\.xml$|dialog-lb\.xml$)[^/]+$|^Scripts/.+[^/]$"
)

_CHUNK_SIZE = 64 * 1024

MESSAGES = {
    "too_large": _("The file is too large: %(size)s MB. The limit is %(limit)s MB."),
    "empty": _("The file is empty."),
    "unsupported_type": _(
        "The file is not a PDF, Word (DOCX), Excel (XLSX) or OpenDocument text (ODT) file."
    ),
    "name_mismatch": _(
        "The file's content is not what its name says: the name ends in %(extension)s, "
        "but the content is %(kind)s. Rename the file or choose the right one."
    ),
    "macros": _(
        "The file contains macros, which are not accepted. "
        "Save a copy without macros and upload that."
    ),
    "encrypted": _(
        "The file is password-protected or encrypted, so it cannot be read. "
        "Save a copy without a password and upload that."
    ),
    "dangerous_name": _(
        "The file name contains %(extension)s, the extension of a program or script. "
        "Rename the file and upload it again."
    ),
    "dangerous_characters": _(
        "The file name contains characters that are not allowed. "
        "Rename the file and upload it again."
    ),
    "archive_bomb": _(
        "The file was not accepted: its packed content unpacks to an unusually large size."
    ),
}


def _error(code: str, message_key: str | None = None, **params) -> ValidationError:
    return ValidationError(MESSAGES[message_key or code], code=code, params=params or None)


@dataclass(frozen=True)
class CheckedUpload:
    kind: str
    content_type: str
    safe_name: str
    size: int
    sha256: str


# --- Names ------------------------------------------------------------------------------


def sanitise_filename(name: str) -> str:
    """A readable name that is safe on any file system and in any header; never empty.

    Keeps letters of any script (ä, ö, å, é), digits, spaces and ``- _ . ( )``; other
    dashes (– —) become "-", other characters are dropped.
    """
    text = str(name).replace("\\", "/")
    components = [part for part in text.split("/") if part.strip()]
    text = unicodedata.normalize("NFC", components[-1] if components else "")
    text = " ".join(_kept_characters(text).split())
    # Runs of dots and spaces before a dot become one dot: "a .. b.pdf" → "a. b.pdf".
    text = re.sub(r"[ .]*\.", ".", text)

    stripped = text.lstrip(". -")
    # A name that was only an extension (".pdf") keeps it as one.
    if text[: len(text) - len(stripped)].endswith(".") and stripped and "." not in stripped:
        stripped = f"{FALLBACK_NAME}.{stripped}"
    text = stripped.rstrip(". ")
    if text.split(".")[0].rstrip().upper() in _WINDOWS_RESERVED:
        text = f"_{text}"

    stem, extension = _split_extension(text)
    stem = stem[: MAX_NAME_LENGTH - len(extension)]
    while len((stem + extension).encode()) > MAX_NAME_BYTES:
        stem = stem[:-1]
    stem = stem.rstrip(". ")
    # Dropping characters can bring together letters that NFC joins (Hangul jamo).
    return unicodedata.normalize("NFC", f"{stem or FALLBACK_NAME}{extension}")


def _kept_characters(text: str) -> str:
    kept: list[str] = []
    for character in text:
        category = unicodedata.category(character)
        if character in _KEPT_PUNCTUATION:
            kept.append(character)
        elif category == "Pd":
            kept.append("-")
        elif category[0] == "L" or category == "Nd":
            kept.append(character)
        elif category[0] == "M":
            # A combining mark stays only on a letter; alone it would join the next
            # character or the separator before it.
            if kept and unicodedata.category(kept[-1])[0] in "LM":
                kept.append(character)
        elif category in ("Zs", "Zl", "Zp"):
            kept.append(" ")
    return "".join(kept)


def _split_extension(name: str) -> tuple[str, str]:
    dot = name.rfind(".")
    if dot <= 0 or not 1 <= len(name) - dot - 1 <= 16:
        return name, ""
    return name[:dot], name[dot:]


def _name_extension(name: str) -> str:
    """The extension a name claims (".pdf"), lower case; "" when the name has none.

    Only a short run of ASCII letters and digits with at least one letter counts, so that
    "Budget v2.1" claims no extension.
    """
    _stem, extension = _split_extension(name)
    suffix = extension[1:]
    if (
        suffix.isascii()
        and suffix.isalnum()
        and len(suffix) <= 10
        and any(c.isalpha() for c in suffix)
    ):
        return extension.lower()
    return ""


def _dangerous_extension(*names: str) -> str | None:
    for name in names:
        for segment in name.split(".")[1:]:
            candidate = segment.strip().rstrip(".").lower()
            if candidate in DANGEROUS_EXTENSIONS:
                return f".{candidate}"
    return None


# --- Content ----------------------------------------------------------------------------


def detect_kind(file) -> str | None:
    """The kind of the file by its content ("pdf", "docx", "xlsx", "odt"), or None.

    Reads only the head and tail of the file and the small descriptor parts of a ZIP, and
    rewinds the file afterwards. Raises ``ValidationError`` (codes "archive_bomb",
    "encrypted", "macros") for a document that is recognisable but must not be accepted.
    """
    try:
        file.seek(0)
        head = file.read(PDF_HEADER_WINDOW)
        if head.startswith(ZIP_MAGIC):
            return _zip_kind(file)
        if head.startswith(OLE_MAGIC):
            if _contains(file, OLE_ENCRYPTED_STREAM):
                raise _error("encrypted")
            return None
        if PDF_MAGIC in head:
            file.seek(0, io.SEEK_END)
            size = file.tell()
            file.seek(max(0, size - PDF_TRAILER_WINDOW))
            tail = file.read(PDF_TRAILER_WINDOW)
            if PDF_END in tail:
                if _pdf_is_encrypted(file, tail, size):
                    raise _error("encrypted")
                return "pdf"
        return None
    finally:
        file.seek(0)


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF")


def _pdf_is_encrypted(file, tail: bytes, size: int) -> bool:
    """Whether the PDF's last cross-reference section names an /Encrypt dictionary (ISO
    32000-1, 7.5.5 and 7.6.1): in the trailer at the end, or in the dictionary of the
    cross-reference stream (or the linearised first-page section) ``startxref`` points to.
    Content streams are not looked into, so a document that mentions the word passes."""
    trailer = tail.rfind(b"trailer")
    if trailer != -1 and PDF_ENCRYPT in tail[trailer:]:
        return True
    offsets = _STARTXREF.findall(tail)
    if not offsets or int(offsets[-1]) >= size:
        return False
    file.seek(int(offsets[-1]))
    section = file.read(PDF_XREF_WINDOW)
    # Up to the stream's data, or the end of a classic section's trailer dictionary.
    for end in (b"stream", b"startxref"):
        if (cut := section.find(end)) != -1:
            section = section[:cut]
    return PDF_ENCRYPT in section


def _contains(file, pattern: bytes) -> bool:
    file.seek(0)
    previous = b""
    while chunk := file.read(_CHUNK_SIZE):
        if pattern in previous + chunk:
            return True
        previous = chunk[-(len(pattern) - 1) :]
    return False


# What zipfile raises on a damaged or unusual archive: such a file is no document we accept.
_BROKEN_ZIP = (zipfile.BadZipFile, zlib.error, NotImplementedError, ValueError, OSError, EOFError)


def _zip_kind(file) -> str | None:
    try:
        archive = zipfile.ZipFile(file)
    except _BROKEN_ZIP:
        return None
    with archive:
        members = archive.infolist()
        _refuse_unsafe_archive(members)
        by_name = {member.filename.lower(): member for member in members}
        if len(by_name) != len(members):
            # Two members of one name: readers disagree about which one counts.
            return None
        try:
            if "[content_types].xml" in by_name:
                return _ooxml_kind(archive, by_name)
            if members and members[0].filename == "mimetype":
                return _odf_kind(archive, members[0], by_name)
        except _BROKEN_ZIP:
            return None
    return None


def _refuse_unsafe_archive(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_ZIP_MEMBERS:
        raise _error("archive_bomb")
    if any(member.flag_bits & _ZIP_ENCRYPTION_FLAGS for member in members):
        raise _error("encrypted")
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise _error("archive_bomb")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_CHECKED_FROM_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise _error("archive_bomb")


def _read_small(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes | None:
    # Office and OpenDocument packages use only these two methods.
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return None
    if member.file_size > MAX_DESCRIPTOR_BYTES:
        return None
    with archive.open(member) as stream:
        return stream.read(MAX_DESCRIPTOR_BYTES + 1)


_XML_ELEMENT = re.compile(rb"<(?:[\w.-]+:)?(Override|Default)\b([^>]*)>")
_XML_ATTRIBUTE = re.compile(rb"""([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _content_types(descriptor: bytes) -> tuple[dict[str, str], dict[str, str]]:
    """The part-name and extension maps of an OPC [Content_Types].xml, lower case.

    Read with a pattern rather than an XML parser: the file is untrusted and only two flat
    element types matter.
    """
    if descriptor.startswith((b"\xff\xfe", b"\xfe\xff")):
        descriptor = descriptor.decode("utf-16", "replace").encode()
    overrides: dict[str, str] = {}
    defaults: dict[str, str] = {}
    for element, attributes in _XML_ELEMENT.findall(descriptor):
        values = {
            key.decode().rsplit(":", 1)[-1]: (double or single).decode("utf-8", "replace")
            for key, double, single in _XML_ATTRIBUTE.findall(attributes)
        }
        content_type = values.get("ContentType", "").strip().lower()
        if element == b"Override" and "PartName" in values:
            overrides[values["PartName"].strip().lstrip("/").lower()] = content_type
        elif element == b"Default" and "Extension" in values:
            defaults[values["Extension"].strip().lower()] = content_type
    return overrides, defaults


def _ooxml_kind(archive, by_name) -> str | None:
    descriptor = _read_small(archive, by_name["[content_types].xml"])
    if descriptor is None:
        return None
    overrides, defaults = _content_types(descriptor)
    declared = [*overrides.values(), *defaults.values()]
    if any(marker in ct for ct in declared for marker in _OOXML_MACRO_TYPE_MARKERS) or any(
        _OOXML_MACRO_PART.search(name) for name in by_name
    ):
        raise _error("macros")
    kinds = set()
    for name in by_name:
        if name.endswith("/"):
            continue
        content_type = overrides.get(name) or defaults.get(name.rsplit(".", 1)[-1], "")
        if content_type in OOXML_MAIN_TYPES:
            kinds.add(OOXML_MAIN_TYPES[content_type])
    return kinds.pop() if len(kinds) == 1 else None


def _odf_kind(archive, first: zipfile.ZipInfo, by_name) -> str | None:
    if first.compress_type != zipfile.ZIP_STORED or first.header_offset != 0:
        return None
    if _read_small(archive, first) != ODT_MIMETYPE or "content.xml" not in by_name:
        return None
    if any(_ODF_MACRO_PART.match(member.filename) for member in by_name.values()):
        raise _error("macros")
    manifest = by_name.get("meta-inf/manifest.xml")
    if manifest is not None:
        text = _read_small(archive, manifest)
        if text is None:
            return None
        if b"encryption-data" in text:
            raise _error("encrypted")
    return "odt"


# --- The whole check --------------------------------------------------------------------


def max_upload_bytes() -> int:
    return getattr(settings, "REGIONET_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


def check_upload(file, *, max_bytes: int | None = None) -> CheckedUpload:
    """Check an uploaded file (a Django ``UploadedFile`` or a seekable binary file).

    The order is the cheapest first: the name, the declared size, then one pass over the
    content for the size and hash, then the kind from the head and tail.
    """
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    raw_name = str(getattr(file, "name", "") or "")
    if "\x00" in raw_name or BIDI_CONTROLS.intersection(raw_name):
        raise _error("dangerous_name", "dangerous_characters")
    safe_name = sanitise_filename(raw_name)
    dangerous = _dangerous_extension(safe_name, raw_name.replace("\\", "/").rsplit("/", 1)[-1])
    if dangerous:
        raise _error("dangerous_name", extension=dangerous)

    declared_size = _size_of(file)
    if declared_size > limit:
        raise _too_large(declared_size, limit)
    size, sha256 = _measure(file, limit)
    if size > limit:
        raise _too_large(size, limit)
    if size == 0:
        raise _error("empty")

    kind = detect_kind(file)
    if kind is None:
        raise _error("unsupported_type")
    allowed = ALLOWED_KINDS[kind]
    claimed = _name_extension(safe_name)
    if claimed and claimed != allowed.extension:
        raise _error("name_mismatch", extension=claimed, kind=allowed.label)
    if claimed:
        safe_name = safe_name[: -len(claimed)] + allowed.extension
    else:
        safe_name = sanitise_filename(safe_name + allowed.extension)
    return CheckedUpload(
        kind=kind,
        content_type=allowed.content_type,
        safe_name=safe_name,
        size=size,
        sha256=sha256,
    )


def _size_of(file) -> int:
    size = getattr(file, "size", None)
    if size is not None:
        return size
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(0)
    return size


def _measure(file, limit: int) -> tuple[int, str]:
    """The size and SHA-256 of the content, in one pass; stops once past ``limit``."""
    digest = hashlib.sha256()
    size = 0
    if hasattr(file, "chunks"):
        chunks = file.chunks(_CHUNK_SIZE)
    else:
        file.seek(0)
        chunks = iter(lambda: file.read(_CHUNK_SIZE), b"")
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
        if size > limit:
            break
    file.seek(0)
    return size, digest.hexdigest()


def _too_large(size: int, limit: int) -> ValidationError:
    return _error(
        "too_large",
        size=_megabytes(size, ROUND_CEILING),
        limit=_megabytes(limit, ROUND_FLOOR),
    )


def _megabytes(size: int, rounding: str) -> str:
    """Megabytes with at most one decimal, in the active language's number format.

    Sizes round up and limits down, so a file one byte over a 20 MB limit reads "20.1 MB".
    """
    value = (Decimal(size) / MEGABYTE).quantize(Decimal("0.1"), rounding=rounding)
    places = 0 if value == value.to_integral_value() else 1
    return number_format(value, decimal_pos=places)


# --- The form field ---------------------------------------------------------------------


class AttachmentField(forms.FileField):
    """A file field that runs ``check_upload``; the cleaned file carries ``.checked``."""

    def __init__(self, *, max_bytes: int | None = None, **kwargs):
        self.max_bytes = max_bytes
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if not widget.is_hidden:
            accepted = [kind.extension for kind in ALLOWED_KINDS.values()]
            accepted += [kind.content_type for kind in ALLOWED_KINDS.values()]
            attrs.setdefault("accept", ",".join(accepted))
        return attrs

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if value and value is not initial:
            value.checked = check_upload(value, max_bytes=self.max_bytes)
        return value
