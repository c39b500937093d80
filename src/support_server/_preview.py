"""The copy of an uploaded card image that the server keeps for the employee to look at.

Uploads may be 10 MB phone photos carrying GPS EXIF tags; the employee needs neither. The
kept copy is the image turned upright, at most :data:`PREVIEW_SIDE` pixels on its long side,
re-encoded as a JPEG without metadata: a few hundred kilobytes per customer. It is made in the
OCR worker, which has already proved the bytes decode, so the event loop never decodes.
"""

from __future__ import annotations

import io

from PIL import Image, ImageOps

__all__ = ["PREVIEW_SIDE", "make_preview"]

PREVIEW_SIDE = 1600
_QUALITY = 85


def make_preview(data: bytes) -> bytes | None:
    """An upright JPEG of ``data`` at most PREVIEW_SIDE px on its long side; None if undecodable."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.draft("RGB", (PREVIEW_SIDE, PREVIEW_SIDE))  # JPEG: decode at a smaller scale
            upright = ImageOps.exif_transpose(img).convert("RGB")
        upright.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        upright.save(out, format="JPEG", quality=_QUALITY, optimize=True)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    return out.getvalue()
