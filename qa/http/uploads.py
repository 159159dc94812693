"""Adding documents over HTTP: a JSON body or an uploaded file, through the same loaders as ``qa index``."""

from __future__ import annotations

import dataclasses
import secrets
import tempfile
from pathlib import Path, PurePosixPath

from index.documents import Document
from index.indexer import IndexReport
from index.ingest.loaders import SUPPORTED_SUFFIXES, load_path, slugify
from qa.errors import DocumentError
from qa.http.errors import HTTPRefusal
from qa.pipeline import Pipeline


def add_docs(pipeline: Pipeline, docs: list[Document], load_errors: list[str]) -> dict:
    report: IndexReport = pipeline.add_documents(docs)
    infos = pipeline.snapshot().docs
    return {
        "documents": [{"doc_id": d.id, "title": d.title, "chunks": infos[d.id].chunks if d.id in infos else 0}
                      for d in docs],
        "added": report.added, "updated": report.updated, "unchanged": report.unchanged,
        "chunks_embedded": report.chunks_embedded, "chunks_reused": report.chunks_reused,
        "errors": load_errors + [str(e) for e in report.errors],
    }


def add_upload(pipeline: Pipeline, filename: str, data: bytes) -> dict:
    """Index an uploaded file through the same loaders as ``qa index``.

    The bytes go to a fresh temp directory under a generated name that keeps only the suffix, so the
    client's filename never decides where anything is written; it only names the documents (as a slug,
    the way ``qa index`` names a file's documents) and the file in error messages.
    """
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise HTTPRefusal(415, "unsupported_media_type", f"cannot index a {suffix or 'suffix-less'} file; "
                          f"upload one of: {' '.join(sorted(SUPPORTED_SUFFIXES))}")
    stem = slugify(PurePosixPath(filename.replace("\\", "/")).stem)
    token = f"upload-{secrets.token_hex(8)}"
    with tempfile.TemporaryDirectory(prefix="expo-qa-upload-") as tmp:
        path = Path(tmp) / f"{token}{suffix}"
        path.write_bytes(data)
        docs, failures = load_path(path)
    shown = f"{stem}{suffix}"
    messages = [str(e).replace(str(path), shown) for e in failures]
    docs = [_rename_upload(d, token, stem, shown) for d in docs]
    if not docs:
        more = f" (and {len(messages) - 5} more)" if len(messages) > 5 else ""
        raise DocumentError("; ".join(messages[:5]) + more if messages else f"{shown}: no documents found")
    return add_docs(pipeline, docs, messages)


def _rename_upload(doc: Document, token: str, stem: str, shown: str) -> Document:
    """Ids the loader derived from the temp name become ids derived from the uploaded name."""
    doc_id = doc.id
    if doc_id == token or doc_id.startswith(token + "-"):
        doc_id = stem + doc_id[len(token):]
    return dataclasses.replace(doc, id=doc_id, meta={**doc.meta, "path": shown, "origin": shown})
