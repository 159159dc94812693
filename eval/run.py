"""``qa eval``: run named configurations over a dataset through the same Pipeline the server uses.

Each configuration gets its own index (a data dir under ``<data dir>/eval/``, named after the dataset
and the settings that change what is indexed), so chunk sizes can be compared side by side and a re-run
only embeds what changed. Configurations that share a model share one loaded embedder.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from eval.datasets import CMRC_PATH, GOLD_PATH, EvalItem, load_jsonl, load_squad
from eval.metrics import aggregate, score_item
from eval.results import RunResult
from index.documents import Document
from index.ingest.loaders import load_path, shipped_corpus_dir
from qa.errors import SettingsError
from qa.settings import Settings


@dataclass
class Dataset:
    name: str
    items: list[EvalItem]
    documents: list[Document]


def load_dataset(spec: str, limit: int | None = None, sample: int | None = None, seed: int = 0,
                 corpus: Path | None = None) -> Dataset:
    """``expo`` (gold set over the shipped corpus), ``cmrc`` (CMRC 2018 trial), or a path to a
    ``.jsonl`` (questions about the shipped corpus) or a SQuAD-format ``.json``.

    ``corpus`` asks the expo questions over another folder holding the same documents in other formats
    (``python -m bench.docgen`` writes PDF and Word versions, named by document id), so reading a format
    can be measured against the Markdown it came from."""
    if spec == "expo" or spec.endswith(".jsonl"):
        items = load_jsonl(GOLD_PATH if spec == "expo" else Path(spec))
        docs, errors = load_path(corpus or shipped_corpus_dir())
        if errors:
            raise SettingsError(f"the corpus has unreadable files: {errors[0]}")
        if limit:
            items = items[:limit]
        name = "expo" if spec == "expo" else Path(spec).stem
        if corpus is not None:
            where = hashlib.sha1(str(Path(corpus).resolve()).encode()).hexdigest()[:6]
            name = f"{name}@{Path(corpus).name}-{where}"
        return Dataset(name, items, docs)
    if corpus is not None:
        raise SettingsError("--corpus only applies to the expo questions (or a .jsonl about the same corpus)")
    path = CMRC_PATH if spec == "cmrc" else Path(spec)
    if not path.exists():
        raise SettingsError(f"no dataset {spec!r}: use expo, cmrc, or a path to a .jsonl or SQuAD .json file")
    docs, items = load_squad(path, limit=limit, sample=sample, seed=seed, all_documents=True)
    return Dataset("cmrc" if spec == "cmrc" else path.stem, items, docs)


def parse_compare(specs: Sequence[str] | None) -> list[tuple[str, list[str]]]:
    """``NAME=k=v,k=v`` → (NAME, ["k=v", "k=v"]); no specs → one run named ``default``."""
    if not specs:
        return [("default", [])]
    out = []
    for spec in specs:
        name, sep, rest = spec.partition("=")
        if not sep or not name:
            raise SettingsError(f"--compare wants NAME=SETTINGS (e.g. dense=retrieval_mode=dense), got {spec!r}")
        out.append((name, [p for p in rest.split(",") if p]))
    return out


def _index_key(dataset: Dataset, s: Settings) -> str:
    ident = json.dumps([dataset.name, s.embedding_model, s.embedding_backend.value, s.chunk_size,
                        s.chunk_overlap, sorted(d.id for d in dataset.documents)])
    return f"{dataset.name}-{hashlib.sha1(ident.encode()).hexdigest()[:10]}"


def open_pipeline(dataset: Dataset, base: Settings, overrides: list[str] | None = None,
                  embedders: dict | None = None):
    """A Pipeline over the dataset's own index (built or brought up to date now), and the seconds that took."""
    from qa.pipeline import Pipeline

    embedders = {} if embedders is None else embedders
    settings = base.replace_from_strings(overrides) if overrides else base
    eval_dir = base.data_dir / "eval" / _index_key(dataset, settings)
    settings = settings.replace(data_dir=eval_dir)
    key = (settings.embedding_model, settings.embedding_backend, settings.query_prompt, settings.passage_prompt)
    pipe = Pipeline(settings, embedder=embedders.get(key))
    embedders[key] = pipe.embedder
    t0 = time.perf_counter()
    pipe.indexer.index(dataset.documents)
    return pipe, time.perf_counter() - t0


def run_config(name: str, overrides: list[str], base: Settings, dataset: Dataset, embedders: dict,
               progress: bool = True) -> RunResult:
    pipe, index_seconds = open_pipeline(dataset, base, overrides, embedders)
    docs_by_id = {d.id: d for d in dataset.documents}
    rows = []
    bar = _bar(len(dataset.items), f"{name}", progress)
    for item in dataset.items:
        answer = pipe.answer(item.question, history=item.history)
        row = score_item(item, answer, docs_by_id)
        row.update(question=item.question, answer=answer.answer, short_answer=answer.short_answer,
                   abstain_reason=answer.abstain_reason.code if answer.abstain_reason else None,
                   gold=item.answers[:3], sources=[h.chunk.doc_id for h in answer.sources])
        rows.append(row)
        bar.update(1)
    bar.close()
    return RunResult(name, dict(p.split("=", 1) for p in overrides), aggregate(rows), rows, index_seconds)


def _bar(total: int, desc: str, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="q", file=sys.stderr, disable=not enabled)


def main(args, settings: Settings) -> int:
    from eval.report import write_reports

    corpus = getattr(args, "corpus", None)
    dataset = load_dataset(args.dataset, limit=args.limit, corpus=Path(corpus) if corpus else None)
    embedders: dict = {}
    results = [run_config(name, overrides, settings, dataset, embedders)
               for name, overrides in parse_compare(args.compare)]
    out = Path(args.out)
    paths = write_reports(results, dataset.name, out)
    for r in results:
        a = r.aggregate
        print(f"{r.name}: hit@5 {_f(a.get('hit@5'))}  correct {_f(a.get('answer_correct'))}  "
              f"abstain-recall {_f(a['abstention'].get('recall'))}  false-abstain "
              f"{_f(a['abstention'].get('false_abstention_rate'))}  cite-precision {_f(a.get('citation_precision'))}  "
              f"p50 {_f((a['latency_ms'].get('total') or {}).get('p50'))} ms")
    print("reports: " + ", ".join(str(p) for p in paths))
    return 0


def _f(v: float | None) -> str:
    return "-" if v is None else f"{v:.3f}"
