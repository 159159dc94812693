"""Where the index lives on disk: ``store`` (SQLite record, FAISS and BM25 derived from it, manifest),
``lexical`` (the BM25 index) and ``atomic`` (crash-safe file writes that both use)."""
