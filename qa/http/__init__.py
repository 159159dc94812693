"""The HTTP layer: ``app`` (the app factory), ``routes`` (one router per area), ``schemas`` (request and
response bodies), ``errors`` (the one mapping from errors to statuses), ``deps`` and ``guards`` (what
every request passes through), ``sse`` (event streams), ``uploads`` and ``server`` (uvicorn)."""
