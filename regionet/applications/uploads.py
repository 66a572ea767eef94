"""The check every attachment passes before it is stored: its type by content, size and name.

``check_upload(file)`` accepts PDF, Word (DOCX), Excel (XLSX) and OpenDocument text (ODT)
files recognised by what they contain, never by their name or the browser's content type,
and opened with a real parser (pypdf; zipfile and defusedxml; olevba for macros), and
returns what the registry keeps (kind, content type, a safe name, size, SHA-256). A refusal
is a ``ValidationError`` with a code and a message in the user's language that names the
file.
``AttachmentField`` is the form field that runs it.
"""

import hashlib
import io
import posixpath
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from types import MappingProxyType
from xml.etree.ElementTree import ParseError

import olefile
import puremagic
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedElementTree
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from oletools.olevba import VBA_Parser
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from regionet.texts import has_direction_controls


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

# Limits on what a ZIP-based document may unpack to. Only the small parts that identify the
# document and its main part are unpacked here, but the officers' office programs,
# previewers and virus scanners will unpack them all.
MAX_UNPACKED_BYTES = 200 * MEGABYTE
MAX_COMPRESSION_RATIO = 100
# Small XML parts of real documents compress far beyond 100:1; a member only counts as a
# bomb once it unpacks to more than this.
RATIO_CHECKED_FROM_BYTES = MEGABYTE
MAX_ZIP_MEMBERS = 10_000
# The ZIP parts read to identify a document ([Content_Types].xml, relationships, manifest,
# mimetype).
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

_WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"{port}{n}" for port in ("COM", "LPT") for n in range(10)]
)
_KEPT_PUNCTUATION = frozenset("-_.()")

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
    "too_large": _("The file %(name)s is too large: %(size)s MB. The limit is %(limit)s MB."),
    "empty": _("The file %(name)s is empty."),
    "unsupported_type": _(
        "The file %(name)s is not a PDF, Word (DOCX), Excel (XLSX) or OpenDocument text (ODT) file."
    ),
    "name_mismatch": _(
        "The content of the file %(name)s is not what its name says: the name ends in "
        "%(extension)s, but the content is %(kind)s. Rename the file or choose the right one."
    ),
    "macros": _(
        "The file %(name)s contains macros, which are not accepted. "
        "Save a copy without macros and upload that."
    ),
    "encrypted": _(
        "The file %(name)s is password-protected or encrypted, so it cannot be read. "
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
        "The file %(name)s was not accepted: its packed content unpacks to an unusually large size."
    ),
    "unreadable": _(
        "The file %(name)s could not be opened: it is damaged, or built in a way that is not "
        "accepted. Save it again in the program that made it and upload the new copy."
    ),
    "external_content": _(
        "The file %(name)s loads content from outside itself (a template or an object on the "
        "internet), which is not accepted. Save a copy without such links and upload that."
    ),
    "scripts": _(
        "The file %(name)s contains scripts (JavaScript), which are not accepted. "
        "Print it to a new PDF or save a copy without scripts and upload that."
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

# The XML namespaces the parsers below look for (ECMA-376 part 2, ODF 1.2 part 3).
_OPC_CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_OPC_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ODF_MANIFEST = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
_ODF_SCRIPT = "{urn:oasis:names:tc:opendocument:xmlns:script:1.0}"
# The root element of each kind's main part, by local name (transitional and strict OOXML).
_MAIN_PART_ROOTS = {"docx": "document", "xlsx": "workbook", "odt": "document-content"}
# An ODF link or event that runs a script or a macro of the office program when followed.
_ODF_SCRIPT_URLS = ("vnd.sun.star.script:", "macro:")

# What a parser raises on content that does not open. pypdf raises many types on a damaged
# PDF, so any exception there counts; these are the ZIP and XML ones.
_BROKEN_ZIP = (zipfile.BadZipFile, zlib.error, NotImplementedError, ValueError, OSError, EOFError)
_BROKEN_XML = (ParseError, DefusedXmlException)


class _Refused(Exception):
    """A document that was recognised but must not be accepted; ``detect_kind`` turns it
    into the ``ValidationError`` that names the file."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def detect_kind(file, name: str = FALLBACK_NAME) -> str | None:
    """The kind of the file by its content ("pdf", "docx", "xlsx", "odt"), or None.

    The bytes decide the family (puremagic's signatures, which count only at the start of
    the file: a PDF behind an HTML page, an SVG image or a program is none of ours), then a
    real parser opens the document: pypdf a PDF; zipfile and defusedxml an Office Open XML
    or OpenDocument package; olevba looks for VBA projects in a package. Raises
    ``ValidationError`` naming ``name`` (codes "unreadable", "archive_bomb", "encrypted",
    "macros", "scripts", "external_content") for a document that is recognisable but must
    not be accepted. Rewinds the file afterwards.
    """
    try:
        family = _family(file)
        if family == "pdf":
            _open_pdf(file)
            return "pdf"
        if family == "zip":
            return _zip_kind(file)
        if family == "ole":
            _refuse_encrypted_office(file)
        return None
    except _Refused as refused:
        raise _error(refused.code, name=name) from None
    finally:
        file.seek(0)


def _family(file) -> str | None:
    file.seek(0)
    if file.read(len(olefile.MAGIC)) == olefile.MAGIC:
        return "ole"
    file.seek(0)
    try:
        matches = puremagic.magic_stream(file)
    except (puremagic.PureError, ValueError):
        return None
    best = matches[0].confidence
    signatures = {
        (match.mime_type, match.extension)
        for match in matches
        if match.confidence == best and match.offset == 0
    }
    if ("application/pdf", ".pdf") in signatures:
        return "pdf"
    if ("application/zip", ".zip") in signatures:
        return "zip"
    return None


def _open_pdf(file) -> None:
    """Open the PDF with pypdf and resolve every page; refuse it if that fails, if it has
    no page, or if it is encrypted (a password to open, or an owner password only)."""
    file.seek(0)
    try:
        reader = PdfReader(file, strict=False)
        if reader.is_encrypted:
            raise _Refused("encrypted")
        pages = [page.mediabox for page in reader.pages]
        scripted = _pdf_has_scripts(reader)
    except _Refused:
        raise
    except Exception as error:
        raise _Refused("unreadable") from error
    if not pages:
        raise _Refused("unreadable")
    if scripted:
        raise _Refused("scripts")


def _pdf_has_scripts(reader: PdfReader) -> bool:
    """Whether any object reachable from the document catalogue is a JavaScript action or a
    JavaScript name tree: an opening action, a page's or a form field's additional action,
    a link annotation or the document-level scripts all run in a reader that allows them."""
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer["/Root"]]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            if "/JS" in item or "/JavaScript" in item or item.get("/S") == "/JavaScript":
                return True
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return False


def _refuse_encrypted_office(file) -> None:
    """An OLE compound file is a legacy .doc or .xls, which is not accepted, or the wrapper
    Office puts around a document saved with a password to open: say which."""
    file.seek(0)
    try:
        with olefile.OleFileIO(file) as ole:
            encrypted = ole.exists("EncryptedPackage")
    except Exception:
        # No OLE file that opens: an unsupported type, as the caller says.
        return
    if encrypted:
        raise _Refused("encrypted")


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
                kind = _ooxml_kind(archive, by_name)
            elif members and members[0].filename == "mimetype":
                kind = _odf_kind(archive, members[0], by_name)
            else:
                return None
        except (*_BROKEN_ZIP, *_BROKEN_XML) as error:
            raise _Refused("unreadable") from error
    if kind is not None:
        _refuse_vba(file)
    return kind


def _refuse_unsafe_archive(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_ZIP_MEMBERS:
        raise _Refused("archive_bomb")
    if any(member.flag_bits & _ZIP_ENCRYPTION_FLAGS for member in members):
        raise _Refused("encrypted")
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise _Refused("archive_bomb")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_CHECKED_FROM_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise _Refused("archive_bomb")


def _read_small(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes | None:
    # Office and OpenDocument packages use only these two methods.
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return None
    if member.file_size > MAX_DESCRIPTOR_BYTES:
        return None
    with archive.open(member) as stream:
        return stream.read(MAX_DESCRIPTOR_BYTES + 1)


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse_part(
    archive: zipfile.ZipFile,
    member: zipfile.ZipInfo,
    *,
    root: str,
    refused_elements: Mapping[str, str] = MappingProxyType({}),
    script_urls: bool = False,
) -> list:
    """Parse one XML part with defusedxml (no DTD, no entities: an XML bomb does not open)
    and check its root element's local name. Returns the root's direct children; deeper
    elements are let go as they are read, so a large part takes little memory.

    ``refused_elements`` maps an element's full name to the refusal it causes;
    ``script_urls`` refuses any attribute that is a link to a script or macro.
    """
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _Refused("unreadable")
    depth = 0
    children: list = []
    with archive.open(member) as stream:
        events = DefusedElementTree.iterparse(
            stream, events=("start", "end"), forbid_dtd=True, forbid_entities=True
        )
        for event, element in events:
            if event == "end":
                depth -= 1
                if depth == 1:
                    children.append(element)
                elif depth > 1:
                    element.clear()
                continue
            if depth == 0 and _local_name(element.tag) != root:
                raise _Refused("unreadable")
            depth += 1
            if element.tag in refused_elements:
                raise _Refused(refused_elements[element.tag])
            if script_urls and any(
                value.strip().lower().startswith(_ODF_SCRIPT_URLS)
                for value in element.attrib.values()
            ):
                raise _Refused("macros")
    return children


def _content_types(children: list) -> tuple[dict[str, str], dict[str, str]]:
    """The part-name and extension maps of an OPC [Content_Types].xml, lower case."""
    overrides: dict[str, str] = {}
    defaults: dict[str, str] = {}
    for element in children:
        content_type = element.get("ContentType", "").strip().lower()
        if element.tag == f"{_OPC_CONTENT_TYPES}Override" and element.get("PartName"):
            overrides[element.get("PartName").strip().lstrip("/").lower()] = content_type
        elif element.tag == f"{_OPC_CONTENT_TYPES}Default" and element.get("Extension"):
            defaults[element.get("Extension").strip().lower()] = content_type
    return overrides, defaults


def _ooxml_kind(archive, by_name) -> str | None:
    descriptor = by_name["[content_types].xml"]
    if descriptor.file_size > MAX_DESCRIPTOR_BYTES:
        return None
    overrides, defaults = _content_types(_parse_part(archive, descriptor, root="Types"))
    declared = [*overrides.values(), *defaults.values()]
    if any(marker in ct for ct in declared for marker in _OOXML_MACRO_TYPE_MARKERS) or any(
        _OOXML_MACRO_PART.search(name) for name in by_name
    ):
        raise _Refused("macros")
    main_parts = {}
    for name in by_name:
        # The content types' own file is not a part of the package (ECMA-376-2, 10.1.2.4).
        if name.endswith("/") or name == "[content_types].xml":
            continue
        content_type = overrides.get(name) or defaults.get(name.rsplit(".", 1)[-1], "")
        if content_type in OOXML_MAIN_TYPES:
            main_parts[name] = OOXML_MAIN_TYPES[content_type]
    if len(main_parts) != 1:
        return None
    ((main_part, kind),) = main_parts.items()
    # An office program finds the main part through the package's relationships.
    relationships = by_name.get("_rels/.rels")
    if relationships is None or relationships.file_size > MAX_DESCRIPTOR_BYTES:
        raise _Refused("unreadable")
    targets = {
        posixpath.normpath(element.get("Target", "").lstrip("/")).lower()
        for element in _parse_part(archive, relationships, root="Relationships")
        if element.tag == f"{_OPC_RELATIONSHIPS}Relationship"
        and element.get("Type", "").endswith("/officeDocument")
        and element.get("TargetMode", "Internal") == "Internal"
    }
    if targets != {main_part}:
        raise _Refused("unreadable")
    _refuse_external_relationships(archive, by_name)
    _parse_part(archive, by_name[main_part], root=_MAIN_PART_ROOTS[kind])
    return kind


def _refuse_external_relationships(archive, by_name) -> None:
    """Every part's relationships may point inside the package, or out of it only as a
    hyperlink: an external template, OLE object or frame is fetched (and may run) when the
    document opens (remote templates with macros, "Follina")."""
    for name, member in by_name.items():
        if not name.endswith(".rels"):
            continue
        if member.file_size > MAX_DESCRIPTOR_BYTES:
            raise _Refused("unreadable")
        for element in _parse_part(archive, member, root="Relationships"):
            if (
                element.tag == f"{_OPC_RELATIONSHIPS}Relationship"
                and element.get("TargetMode", "Internal").strip().lower() == "external"
                and not element.get("Type", "").endswith("/hyperlink")
            ):
                raise _Refused("external_content")


def _odf_kind(archive, first: zipfile.ZipInfo, by_name) -> str | None:
    if first.compress_type != zipfile.ZIP_STORED or first.header_offset != 0:
        return None
    if _read_small(archive, first) != ODT_MIMETYPE or "content.xml" not in by_name:
        return None
    if any(_ODF_MACRO_PART.match(member.filename) for member in by_name.values()):
        raise _Refused("macros")
    manifest = by_name.get("meta-inf/manifest.xml")
    if manifest is None or manifest.file_size > MAX_DESCRIPTOR_BYTES:
        raise _Refused("unreadable")
    # The manifest first: the parts of an encrypted document are not XML.
    _parse_part(
        archive,
        manifest,
        root="manifest",
        refused_elements={f"{_ODF_MANIFEST}encryption-data": "encrypted"},
    )
    # Event listeners and script links run macros without any macro in the file (the
    # office program's own scripts), so they are refused like macros.
    active = {f"{_ODF_SCRIPT}event-listener": "macros"}
    _parse_part(
        archive,
        by_name["content.xml"],
        root="document-content",
        refused_elements=active,
        script_urls=True,
    )
    if "styles.xml" in by_name:
        _parse_part(
            archive,
            by_name["styles.xml"],
            root="document-styles",
            refused_elements=active,
            script_urls=True,
        )
    return "odt"


def _refuse_vba(file) -> None:
    """Refuse a package with a VBA project: olevba finds one in any member that is an OLE
    file, whatever its name (Office finds the project by a relationship, not a name)."""
    file.seek(0)
    try:
        parser = VBA_Parser("upload", data=file.read(), relaxed=True)
        try:
            found = parser.detect_vba_macros()
        finally:
            parser.close()
    except Exception as error:
        raise _Refused("unreadable") from error
    if found:
        raise _Refused("macros")


# --- The whole check --------------------------------------------------------------------


def max_upload_bytes() -> int:
    return getattr(settings, "REGIONET_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


def check_upload(file, *, max_bytes: int | None = None) -> CheckedUpload:
    """Check an uploaded file (a Django ``UploadedFile`` or a seekable binary file).

    The order is the cheapest first: the name, the declared size, then one pass over the
    content for the size and hash, then the kind from the bytes and the parse. Messages name
    the file by its safe name (the file input is empty again when the page shows them).
    """
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    raw_name = str(getattr(file, "name", "") or "")
    # Direction controls: the one check of every single-line text (regionet.texts).
    if "\x00" in raw_name or has_direction_controls(raw_name):
        raise _error("dangerous_name", "dangerous_characters")
    safe_name = sanitise_filename(raw_name)
    dangerous = _dangerous_extension(safe_name, raw_name.replace("\\", "/").rsplit("/", 1)[-1])
    if dangerous:
        raise _error("dangerous_name", extension=dangerous)

    declared_size = _size_of(file)
    if declared_size > limit:
        raise _too_large(safe_name, declared_size, limit)
    size, sha256 = _measure(file, limit)
    if size > limit:
        raise _too_large(safe_name, size, limit)
    if size == 0:
        raise _error("empty", name=safe_name)

    kind = detect_kind(file, safe_name)
    if kind is None:
        raise _error("unsupported_type", name=safe_name)
    allowed = ALLOWED_KINDS[kind]
    claimed = _name_extension(safe_name)
    if claimed and claimed != allowed.extension:
        raise _error("name_mismatch", name=safe_name, extension=claimed, kind=allowed.label)
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


def _too_large(name: str, size: int, limit: int) -> ValidationError:
    return _error(
        "too_large",
        name=name,
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
