"""From a question to a cited answer: ``retriever`` (hybrid dense + BM25 retrieval), ``followup``
(standalone queries for follow-up questions), ``composer`` with ``sentences``, ``spans`` and ``lists``
(the extractive answer: quoted sentences, a short answer span, citations, or an abstention) and
``generator`` (the protocol every answer writer follows, and the extractive one)."""
