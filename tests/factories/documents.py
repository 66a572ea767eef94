"""Small real documents built in the tests: a PDF that a PDF reader opens (the upload check
parses every file it accepts), of a given text or an exact size."""

__all__ = ["make_pdf", "minimal_pdf", "ole_file", "padded_pdf", "vba_project"]


def make_pdf(text: str = "Hankesuunnitelma", *, padding: int = 0) -> bytes:
    """A valid PDF of one page with ``text``, with a correct cross-reference table;
    ``padding`` bytes of a comment after the header make it larger."""
    stream = b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % text.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    if padding:
        pdf += b"%" + b"x" * max(padding - 2, 0) + b"\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)


def minimal_pdf() -> bytes:
    return make_pdf()


def padded_pdf(size: int) -> bytes:
    """A valid PDF of exactly ``size`` bytes (at least 2 kB)."""
    padding = size - len(make_pdf())
    pdf = make_pdf(padding=padding)
    # The offsets grow by a digit or two with the padding; take those bytes off it.
    pdf = make_pdf(padding=padding - (len(pdf) - size))
    assert len(pdf) == size, (len(pdf), size)
    return pdf


# --- OLE compound files ---------------------------------------------------------------------

_SECTOR = 512
_FREE, _END, _FAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
_NO_ENTRY = 0xFFFFFFFF


def ole_file(streams: dict[str, bytes]) -> bytes:
    """A version 3 OLE compound file (MS-CFB) holding ``streams``, named "NAME" or
    "STORAGE/NAME"; no library writes one. Every stream is padded to 4 096 bytes so that
    it lives in ordinary sectors (no mini stream)."""
    import struct

    storages: dict[str, list[str]] = {"": []}
    for path in streams:
        parent = path.rsplit("/", 1)[0] if "/" in path else ""
        if parent and parent not in storages:
            storages[parent] = []
            storages[""].append(parent)
        storages[parent].append(path)
    # Directory entries: the root, then each storage and stream.
    entries = [("", 5)] + [(path, 1 if path in storages else 2) for path in _walk(storages, "")]
    index = {path: number for number, (path, _type) in enumerate(entries)}
    directory_sectors = -(-len(entries) * 128 // _SECTOR)
    data = {
        path: content.ljust(max(4096, -(-len(content) // _SECTOR) * _SECTOR), b"\0")
        for path, content in streams.items()
    }
    fat = [_FAT] + [n + 2 for n in range(directory_sectors - 1)] + [_END]
    starts = {}
    for path, content in data.items():
        starts[path] = len(fat)
        count = len(content) // _SECTOR
        fat += [len(fat) + n + 1 for n in range(count - 1)] + [_END]
    assert len(fat) <= _SECTOR // 4
    fat += [_FREE] * (_SECTOR // 4 - len(fat))

    def entry(path: str, kind: int) -> bytes:
        name = (path.rsplit("/", 1)[-1] if path else "Root Entry").encode("utf-16-le")
        children = storages.get(path, [])
        # Siblings as a right-leaning chain of black nodes: a valid (if unbalanced) tree.
        parent = path.rsplit("/", 1)[0] if "/" in path else ""
        siblings = storages[parent] if path else []
        right = siblings[siblings.index(path) + 1] if path and path != siblings[-1] else None
        return struct.pack(
            "<64sHBBIII16sIQQIQ",
            name + b"\0\0",
            len(name) + 2,
            kind,
            1,
            _NO_ENTRY,
            index[right] if right else _NO_ENTRY,
            index[children[0]] if children else _NO_ENTRY,
            b"\0" * 16,
            0,
            0,
            0,
            starts.get(path, _END if kind != 1 else 0),
            len(streams.get(path, b"")),
        )

    directory = b"".join(entry(path, kind) for path, kind in entries)
    directory = directory.ljust(directory_sectors * _SECTOR, b"\0")
    header = (
        struct.pack(
            "<8s16sHHHHH6sIIIIIIIII",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            b"\0" * 16,
            0x3E,
            3,
            0xFFFE,
            9,
            6,
            b"\0" * 6,
            0,
            1,
            1,
            0,
            4096,
            _END,
            0,
            _END,
            0,
        )
        + struct.pack("<I", 0)
        + struct.pack("<I", _FREE) * 108
    )
    body = struct.pack(f"<{_SECTOR // 4}I", *fat) + directory + b"".join(data.values())
    return header + body


def _walk(storages: dict[str, list[str]], storage: str):
    for path in storages[storage]:
        yield path
        if path in storages:
            yield from _walk(storages, path)


def vba_project() -> bytes:
    """A vbaProject.bin as olevba recognises one (MS-OVBA 2.2.1: a PROJECT stream and a VBA
    storage with _VBA_PROJECT and dir streams); the streams hold no real code."""
    return ole_file(
        {
            "PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\nName="Project"\r\n',
            "VBA/_VBA_PROJECT": b"\xcc\x61\xff\xff\x00\x00\x00",
            "VBA/dir": b"\x01\x00\x00",
        }
    )
