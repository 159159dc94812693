"""Errors the index layer raises, each with what it means to the person who ran the command.

The index knows nothing of the CLI or the HTTP API above it, so it has its own base class; ``qa.errors``
re-exports these classes and the edges (the CLI's one-line message, the API's status mapping) handle
them exactly like ``qa``'s own errors. Every class carries a ``code``, which the API sends to clients.
"""

from __future__ import annotations


class IndexLayerError(Exception):
    """Base class: something the user can act on (never a bug in expo-qa)."""

    code = "error"


class ConfigError(IndexLayerError):
    """An argument the index was given (chunk size, lexicon file, backend name) cannot be used; the
    message names it and the value."""

    code = "bad_setting"


class DocumentError(IndexLayerError):
    """A document file could not be read or parsed; the message names the file (and line, for JSONL).

    ``file`` is the file it came from and ``whole_file`` whether the whole file was lost (unreadable) or
    only a part of it (a line, a document); ``doc_id`` names the document when one was read. Reports count
    documents and files with errors apart from these.
    """

    code = "bad_document"

    def __init__(self, message: str, *, file: str | None = None, whole_file: bool = False,
                 doc_id: str | None = None) -> None:
        super().__init__(message)
        self.file = file
        self.whole_file = whole_file
        self.doc_id = doc_id


class ModelError(IndexLayerError):
    """The embedding model could not be built or loaded (missing package, unreadable weights)."""

    code = "model_unavailable"


class IndexMismatchError(IndexLayerError):
    """The index on disk was built with another model or chunking settings than the ones running now.

    The message says how to rebuild it.
    """

    code = "index_mismatch"


class NotFoundError(IndexLayerError):
    """A document id that the index does not hold."""

    code = "not_found"


class BackendError(IndexLayerError):
    """The index backend (a Milvus server or cluster) could not be reached or refused an operation; the
    message names the address and what failed. Nothing was half written: retry when it is back."""

    code = "index_unavailable"
