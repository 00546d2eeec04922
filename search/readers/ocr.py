"""Text from images through Tesseract OCR (pytesseract), when Tesseract is installed."""

from __future__ import annotations

import io
import shutil
import statistics

from PIL import Image

from search.errors import DocumentError
from search.readers import Part
from search.readers.bounded import run_bounded

RESOLUTION = 300  # dpi at which scanned PDF pages are rendered for OCR
LANGUAGE = "eng"
MAX_PIXELS = 60_000_000  # larger images are refused (Pillow's decompression-bomb guard)
MAX_FRAMES = 500  # pages of a multi-page TIFF
PAGE_SECONDS = 60
HOW_TO_ENABLE = ("install Tesseract to read it by OCR (Debian/Ubuntu: apt-get install "
                 "tesseract-ocr tesseract-ocr-eng)")

Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def available() -> bool:
    """Whether the tesseract program is on PATH."""
    return shutil.which("tesseract") is not None


def image_lines(image: Image.Image) -> list[tuple[str, float, float, float, float]]:
    """The text lines Tesseract finds: (text, x0, top, x1, bottom) in pixels, in its order."""
    if not available():
        raise DocumentError(f"scanned page without a text layer: {HOW_TO_ENABLE}")
    import pytesseract

    try:
        found = pytesseract.image_to_data(image.convert("L"), lang=LANGUAGE,
                                          output_type=pytesseract.Output.DICT,
                                          timeout=PAGE_SECONDS)
    except RuntimeError as exc:  # pytesseract's timeout
        raise DocumentError(f"OCR took longer than {PAGE_SECONDS} s for a page") from exc
    except pytesseract.TesseractError as exc:
        raise DocumentError(f"OCR failed ({exc.message[:200]})") from exc
    lines: dict[tuple[int, int, int], list[int]] = {}
    for index, text in enumerate(found["text"]):
        if text.strip():
            key = (found["block_num"][index], found["par_num"][index], found["line_num"][index])
            lines.setdefault(key, []).append(index)
    result = []
    for indexes in lines.values():
        words = " ".join(found["text"][i].strip() for i in indexes)
        x0 = min(found["left"][i] for i in indexes)
        top = min(found["top"][i] for i in indexes)
        x1 = max(found["left"][i] + found["width"][i] for i in indexes)
        bottom = max(found["top"][i] + found["height"][i] for i in indexes)
        result.append((words, float(x0), float(top), float(x1), float(bottom)))
    return result


def text_sizes(lines: list[tuple[str, float, float, float, float]]) -> list[float]:
    """A type size per OCR line: its box height, or the page's usual one when near it (a box
    is lower for a line without capitals or descenders: `ago.` is no heading)."""
    heights = [bottom - top for _text, _x0, top, _x1, bottom in lines]
    usual = statistics.median(heights) if heights else 0.0
    return [usual if 0.7 * usual <= height <= 1.4 * usual else height for height in heights]


def read_image(data: bytes, warnings: list[str]) -> list[Part]:
    """An image file (a scanned page; each frame of a TIFF a page) read by OCR."""
    _open_image(data).close()
    if not available():
        raise DocumentError(f"an image: {HOW_TO_ENABLE}")
    part = run_bounded(read_image_unbounded, data)
    if not part.paragraphs:
        raise DocumentError("no text found by OCR")
    return [part]


def _open_image(data: bytes) -> Image.Image:
    """The image (its header read, pixels not yet); DocumentError when it is not one."""
    try:
        return Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise DocumentError(f"image too large (more than {MAX_PIXELS} pixels)") from exc
    except OSError as exc:
        raise DocumentError("binary file that is not a readable image") from exc


def read_image_unbounded(data: bytes) -> Part:
    """The image read in this process (run_bounded calls it in its helper)."""
    from search.readers.pdf import Line, mark_furniture, paragraphs_of

    image = _open_image(data)
    lines = []
    for frame in range(min(getattr(image, "n_frames", 1), MAX_FRAMES)):
        image.seek(frame)
        found = image_lines(image)
        for (text, x0, top, x1, bottom), size in zip(found, text_sizes(found), strict=True):
            lines.append(Line(text, x0, x1, top, bottom, size, frame + 1))
    mark_furniture(lines)
    paragraphs, pages = paragraphs_of([line for line in lines if not line.furniture])
    return Part("", "", None, paragraphs, pages=pages)
