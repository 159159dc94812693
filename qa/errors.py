"""Errors a user can meet, each with what it means to them.

Every error carries a message written for the person who ran the command or sent the request; the
CLI prints it as one line and the API maps the class to an HTTP status in one place.

The index layer raises its own errors (``index.errors``: a bad document, an unavailable model, an index
built with other settings, an unknown document id, a bad argument); they are re-exported here, and
``USER_ERRORS`` names both families for the places that catch whatever a user can act on.
"""

from __future__ import annotations

from index.errors import (
    BackendError,
    ConfigError,
    DocumentError,
    IndexLayerError,
    IndexMismatchError,
    ModelError,
    NotFoundError,
)

__all__ = ["USER_ERRORS", "BackendError", "BadRequestError", "ConfigError", "DocumentError", "IndexLayerError",
           "IndexMismatchError", "IndexMissingError", "ModelError", "NotFoundError", "QAError",
           "SettingsError"]


class QAError(Exception):
    """Base class: something the user can act on (never a bug in expo-qa)."""

    code = "error"


class SettingsError(QAError):
    """A setting has a value expo-qa cannot use; the message names the setting and the value."""

    code = "bad_setting"


class IndexMissingError(QAError):
    """No index exists in the data dir yet; the message says how to build one."""

    code = "index_missing"


class BadRequestError(QAError):
    """A question or request field that cannot be answered as given (empty, too long, bad date...)."""

    code = "bad_request"


USER_ERRORS: tuple[type[Exception], ...] = (QAError, IndexLayerError)
"""Every error whose message is meant for the user, from either layer: what the edges catch."""
