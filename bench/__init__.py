"""Benchmarks, run from a checkout (they are not installed with the package).

``python -m bench`` answers two questions the README's claims rest on: is our hybrid retriever at least
as good and as quick as the obvious alternative (a LangChain FAISS store over the same chunks and
vectors), and how do index build time, memory and query latency grow from thousands to a hundred thousand
chunks. Each section returns a plain dict, so the CLI prints it, writes it to ``out/bench`` and the smoke
test checks its shape. The scripts beside it measure the running system: ``python bench/embeddings.py``,
``bench/answer_latency.py``, ``bench/load_api.py`` and ``bench/load_mixed.py``; ``serve`` starts a real
server for them and for the end-to-end tests.
"""
