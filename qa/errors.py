"""Errors a user can meet, each with what it means to them.

Every error carries a message written for the person who ran the command or sent the request; the
CLI prints it as one line and the API maps the class to an HTTP status in one place.
"""

from __future__ import annotations


class QAError(Exception):
    """Base class: something the user can act on (never a bug in expo-qa)."""

    code = "error"


class SettingsError(QAError):
    """A setting has a value expo-qa cannot use; the message names the setting and the value."""

    code = "bad_setting"


class DocumentError(QAError):
    """A document file could not be read or parsed; the message names the file (and line, for JSONL)."""

    code = "bad_document"


class ModelError(QAError):
    """The embedding model could not be built or loaded (missing package, unreadable weights)."""

    code = "model_unavailable"


class IndexMismatchError(QAError):
    """The index on disk was built with another model or chunking settings than the ones running now.

    The message says how to rebuild it.
    """

    code = "index_mismatch"


class IndexMissingError(QAError):
    """No index exists in the data dir yet; the message says how to build one."""

    code = "index_missing"


class NotFoundError(QAError):
    """A document id that the index does not hold."""

    code = "not_found"


class BadRequestError(QAError):
    """A question or request field that cannot be answered as given (empty, too long, bad date...)."""

    code = "bad_request"
