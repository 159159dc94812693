"""The Milvus index backend (pymilvus; Milvus Lite embedded or as a server, Standalone, Distributed, Zilliz
Cloud). ``store.MilvusStore`` writes, ``view.MilvusView`` reads; ``expr`` quotes filter values,
``lexicon`` keeps BM25 over our tokenizer's tokens."""
