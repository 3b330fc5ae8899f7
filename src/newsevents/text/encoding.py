"""Bytes to text: the encoding of an input detected, never guessed into mojibake.

A byte-order mark decides; then UTF-16 without one (NULs in one byte of each pair); binary
data (NUL or control bytes) is refused; UTF-8 is tried, a last character cut short dropped
and recorded (``CUT_TAIL``); then charset-normalizer, with cp1252 winning over another
single-byte code page when it reads at least as many common accented letters.
"""

from __future__ import annotations

import contextlib

from charset_normalizer import from_bytes


class UndecodableError(ValueError):
    """Bytes that are not text in any encoding we can detect."""


#: marks the encoding of UTF-8 text whose cut last character was dropped ("utf-8/cut-tail")
CUT_TAIL = "/cut-tail"


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode bytes to text, detecting the encoding.

    Returns ``(text, encoding)``. Raises ``UndecodableError`` for binary data.

    >>> decode_bytes("Café".encode("cp1252"))[0]
    'Café'
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise UndecodableError(
                f"a UTF-16 byte-order mark but invalid UTF-16: {exc.reason}"
            ) from exc
    sample = data[:65536]
    utf16 = _utf16_without_bom(sample)
    if utf16 is not None:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass  # not text after all: the binary check below says so
    if b"\x00" in sample or _control_ratio(sample) > 0.1:
        raise UndecodableError("binary content (NUL or control bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if (
            exc.reason == "unexpected end of data"
            and exc.start >= len(data) - 3
            and not data[: exc.start].isascii()
        ):
            # UTF-8 (its other non-ASCII characters are) whose last character was cut short, a
            # truncated file or field: the text without the cut character, recorded as a repair
            # (``CUT_TAIL``), never mojibake. "Caf\xe9" alone is cp1252, read below.
            with contextlib.suppress(UnicodeDecodeError):
                return data[: exc.start].decode("utf-8"), f"utf-8{CUT_TAIL}"
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise UndecodableError("no text encoding fits these bytes")
    text, encoding = str(best), best.encoding
    # Short Western texts are often mistaken for another single-byte code page, or (with no
    # NUL byte, which UTF-16 without a byte-order mark would have: ``_utf16_without_bom``)
    # for UTF-16 or UTF-32; the web's usual code page, cp1252, wins when it reads at least as
    # many common accented letters.
    wide = (
        encoding.lower().replace("_", "-").startswith(("utf-16", "utf-32"))
        and b"\x00" not in sample
    )
    if encoding != "cp1252" and (_is_single_byte(encoding) or wide):
        try:
            western = data.decode("cp1252")
        except UnicodeDecodeError:
            western = None
        if western is not None and _accents(western) >= _accents(text):
            text, encoding = western, "cp1252"
    if _control_ratio(text[:65536].encode("utf-8", "ignore")) > 0.1:
        raise UndecodableError("decodes only to control characters")
    return text, encoding


def _utf16_without_bom(sample: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when ``sample`` reads as UTF-16 text with no byte-order
    mark: mostly Latin-script text has a NUL in one byte of nearly every pair, and almost
    none in the other."""
    n = len(sample) // 2
    if n < 8:
        return None
    even = sample[0 : 2 * n : 2].count(0) / n
    odd = sample[1 : 2 * n : 2].count(0) / n
    if odd > 0.7 and even < 0.05:
        return "utf-16-le"
    if even > 0.7 and odd < 0.05:
        return "utf-16-be"
    return None


_WESTERN = set("àáâãäåçèéêëìíîïñòóôõöùúûüýÿßÀÁÂÄÇÈÉÊËÎÏÑÓÔÖÙÚÛÜ’“”–—")


def _accents(text: str) -> int:
    return sum(1 for c in text if c in _WESTERN)


def _is_single_byte(encoding: str) -> bool:
    e = encoding.lower().replace("-", "_")
    return e.startswith(("cp125", "iso8859", "latin", "windows_125", "mac_", "cp8"))


def _control_ratio(sample: bytes) -> float:
    """Share of control bytes (below 32, other than tab, line feed, form feed, return)."""
    if not sample:
        return 0.0
    return (len(sample) - len(sample.translate(None, _CONTROL_BYTES))) / len(sample)


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
