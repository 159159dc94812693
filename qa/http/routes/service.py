"""``/healthz``: liveness, and what the server is serving."""

from __future__ import annotations

from fastapi import APIRouter

from qa.http import schemas as s
from qa.http.deps import PipelineDep

router = APIRouter(tags=["service"])


@router.get("/healthz", response_model=s.Health, responses=s.errors())
def healthz(pipeline: PipelineDep) -> dict:
    """Liveness plus what is being served: corpus size, model and index generation."""
    snap = pipeline.snapshot()
    return {"status": "ok", "documents": len(snap.docs), "chunks": len(snap),
            "embedding_model": pipeline.embedder.model_id, "index_version": str(snap.generation)}
