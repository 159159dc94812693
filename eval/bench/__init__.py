"""Retrieval benchmarks: ``python -m eval.bench``.

Two questions the README's claims rest on: is our hybrid retriever at least as good and as quick as the
obvious alternative (a LangChain FAISS store over the same chunks and vectors), and how do index build
time, memory and query latency grow from thousands to a hundred thousand chunks. Each section returns a
plain dict, so the CLI prints it, writes it to ``out/bench`` and the smoke test checks its shape.
"""
