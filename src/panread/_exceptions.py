"""Every error panread raises, rooted at one class.

::

    PanReadError                      (code: "panread_error")
    ├── ImageError                    the input is not a usable image
    │   ├── EmptyImageError           zero bytes                          "empty_file"
    │   ├── NotAnImageError           bytes are no known image format     "not_an_image"
    │   ├── UnsupportedFormatError    an image format we do not accept    "unsupported_format"
    │   ├── TruncatedImageError       the file ends early / is corrupt    "truncated_image"
    │   └── ImageTooLargeError        over the byte or pixel limit        "image_too_large"
    │       └── DecompressionBombError  pixel count far past the limit    "decompression_bomb"
    ├── NoCardFoundError              an image, but no PAN card in it     "no_card_found"
    └── ModelError                    OCR weights missing or corrupt      "model_error"

Each class has a stable snake_case ``code`` (for JSON and HTTP mapping) and a
message a person understands.
"""

from __future__ import annotations


class PanReadError(Exception):
    """Root of every error raised by panread."""

    code = "panread_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ImageError(PanReadError):
    """The input could not be used as an image."""

    code = "image_error"


class EmptyImageError(ImageError):
    """The input has zero bytes."""

    code = "empty_file"


class NotAnImageError(ImageError):
    """The bytes are not in any image format we recognise."""

    code = "not_an_image"


class UnsupportedFormatError(ImageError):
    """The image is in a format we recognise but do not accept."""

    code = "unsupported_format"

    def __init__(self, message: str, *, image_format: str) -> None:
        super().__init__(message)
        self.image_format = image_format


class TruncatedImageError(ImageError):
    """The image file ends early or its data is corrupt."""

    code = "truncated_image"


class ImageTooLargeError(ImageError):
    """The image exceeds the configured byte or pixel limit."""

    code = "image_too_large"

    def __init__(self, message: str, *, size: int, limit: int, unit: str) -> None:
        super().__init__(message)
        self.size = size
        self.limit = limit
        self.unit = unit


class DecompressionBombError(ImageTooLargeError):
    """The image declares far more pixels than its file size could honestly hold."""

    code = "decompression_bomb"


class NoCardFoundError(PanReadError):
    """The image was read but contains no recognisable PAN card."""

    code = "no_card_found"


class ModelError(PanReadError):
    """The OCR model weights are missing, corrupt or fail to load."""

    code = "model_error"
