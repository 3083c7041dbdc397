"""Errors whose message is printed to the site admin as is (no traceback)."""


class ExportError(Exception):
    """Anything that stops an export for a reason the user can fix."""


class CheckpointError(ExportError):
    """The checkpoint is not in a layout this tool reads."""


class VerificationError(ExportError):
    """The exported model disagrees with PyTorch beyond the tolerance, or could not be checked."""
