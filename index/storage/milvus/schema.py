"""The Milvus collections of one index, named ``<prefix>_<name>``.

- ``meta``: manifest, tokenizer fingerprint, BM25 length norm, and ``generation`` (a new random value after
  every write, which tells replicas to reload their list of documents).
- ``docs``: one row per document: its current ``version`` and its metadata. Upserting this row is the
  moment a write becomes visible; readers ignore chunks of any other version.
- ``texts``: full document texts, in parts of ``TEXT_PART`` characters (a VARCHAR holds 65,535 bytes).
- ``chunks``: every field of ``Chunk`` (as JSON), doc id, version, date (YYYYMMDD, 0 for none), the dense
  vector, our tokens, their hashed ``terms``, BM25 weights as a sparse vector (``sparse``), Milvus's own
  BM25 of ``terms`` (``bm25``) and the sentence vectors (float16, base64; "" when there are none).
- ``terms``: document frequency (``df``) per hashed term, and three rows of totals (``terms.TermStats``).
"""

from __future__ import annotations

from pymilvus import DataType, Function, FunctionType, MilvusClient

MAX_VARCHAR = 65535
TEXT_PART = 16000  # characters; at most 4 bytes each in UTF-8
NAMES = ("meta", "docs", "texts", "chunks", "terms")
_ID = 2048


def name(prefix: str, what: str) -> str:
    return f"{prefix}_{what}"


def _base(client: MilvusClient, key_len: int = _ID):
    s = client.create_schema(auto_id=False, enable_dynamic_field=False)
    s.add_field("pk", DataType.VARCHAR, is_primary=True, max_length=key_len)
    return s


def _placeholder_vector(client: MilvusClient, schema):
    """Milvus needs a vector field in every collection; the small ones carry a 2-d zero."""
    schema.add_field("_v", DataType.FLOAT_VECTOR, dim=2)
    params = client.prepare_index_params()
    params.add_index("_v", index_type="FLAT", metric_type="L2")
    return params


def _meta(client: MilvusClient, _dim: int):
    s = _base(client, 128)
    s.add_field("value", DataType.VARCHAR, max_length=MAX_VARCHAR)
    return s, _placeholder_vector(client, s)


def _docs(client: MilvusClient, _dim: int):
    s = _base(client)
    s.add_field("version", DataType.VARCHAR, max_length=64)
    s.add_field("info", DataType.JSON)
    return s, _placeholder_vector(client, s)


def _texts(client: MilvusClient, _dim: int):
    s = _base(client)
    s.add_field("doc_id", DataType.VARCHAR, max_length=_ID)
    s.add_field("version", DataType.VARCHAR, max_length=64)
    s.add_field("part", DataType.INT64)
    s.add_field("text", DataType.VARCHAR, max_length=MAX_VARCHAR)
    return s, _placeholder_vector(client, s)


def _chunks(client: MilvusClient, dim: int):
    s = _base(client)
    s.add_field("chunk_id", DataType.VARCHAR, max_length=_ID)
    s.add_field("doc_id", DataType.VARCHAR, max_length=_ID)
    s.add_field("version", DataType.VARCHAR, max_length=64)
    s.add_field("ordinal", DataType.INT64)
    s.add_field("date", DataType.INT64)
    s.add_field("chunk", DataType.JSON)
    s.add_field("tokens", DataType.JSON)
    s.add_field("terms", DataType.VARCHAR, max_length=MAX_VARCHAR, enable_analyzer=True, enable_match=True,
                analyzer_params={"tokenizer": "standard"})
    s.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    s.add_field("bm25", DataType.SPARSE_FLOAT_VECTOR)
    s.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
    s.add_field("sentences", DataType.VARCHAR, max_length=MAX_VARCHAR)
    s.add_function(Function(name="terms_bm25", function_type=FunctionType.BM25,
                            input_field_names=["terms"], output_field_names=["bm25"]))
    params = client.prepare_index_params()
    params.add_index("vector", index_type="FLAT", metric_type="IP")
    params.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
    params.add_index("bm25", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
    params.add_index("doc_id", index_type="INVERTED")
    return s, params


def _terms(client: MilvusClient, _dim: int):
    s = _base(client, 64)
    s.add_field("df", DataType.INT64)
    return s, _placeholder_vector(client, s)


_BUILDERS = {"meta": _meta, "docs": _docs, "texts": _texts, "chunks": _chunks, "terms": _terms}


def ensure(client: MilvusClient, prefix: str, dim: int) -> None:
    """Create the collections that do not exist yet (several replicas may race: an existing one is fine)."""
    existing = set(client.list_collections())
    for what in NAMES:
        coll = name(prefix, what)
        if coll in existing:
            continue
        schema, params = _BUILDERS[what](client, dim)
        try:
            client.create_collection(coll, schema=schema, index_params=params)
        except Exception:
            if coll not in client.list_collections():
                raise
    for what in NAMES:
        client.load_collection(name(prefix, what))


def drop(client: MilvusClient, prefix: str) -> None:
    for what in NAMES:
        if client.has_collection(name(prefix, what)):
            client.drop_collection(name(prefix, what))


def query_all(client: MilvusClient, coll: str, filter: str, fields: list[str]) -> list[dict]:
    """Every matching row. One query up to Milvus's window of 16,384 rows; an iterator beyond it."""
    total = int(client.query(coll, filter=filter, output_fields=["count(*)"])[0]["count(*)"])
    if total < 16384:
        return list(client.query(coll, filter=filter or 'pk != ""', output_fields=fields, limit=16384))
    out: list[dict] = []
    it = client.query_iterator(coll, batch_size=1000, filter=filter, output_fields=fields)
    try:
        while batch := it.next():
            out.extend(batch)
    finally:
        it.close()
    return out
