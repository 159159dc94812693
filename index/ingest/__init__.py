"""From files to chunks: ``loaders`` (one loader per file suffix, in a registry), ``chunker`` (Chinese
sentence-aware chunks), and ``seed``, the one-off parser that turns the expo's web page into the shipped
corpus (``python -m index.ingest.seed``)."""
