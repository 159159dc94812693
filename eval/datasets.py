"""Evaluation questions: the hand-written expo gold set (JSONL) and SQuAD-format reading-comprehension sets.

Both loaders produce the same ``EvalItem`` so the harness scores a CMRC 2018 run and an expo run with the
same metrics; a SQuAD file also yields the ``Document`` list to index, because its questions are only
answerable against their own paragraphs.
"""

from __future__ import annotations

import enum
import json
import logging
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.documents import Document
from qa.errors import DocumentError, SettingsError

log = logging.getLogger(__name__)

GOLD_PATH = Path(__file__).parent / "datasets" / "expo_gold.jsonl"
CMRC_PATH = Path(__file__).parent / "datasets" / "cmrc2018" / "cmrc2018_trial.json"


class ItemType(str, enum.Enum):
    """What kind of question an item is; results are broken down by it to show where the bot is weak."""

    FACTOID = "factoid"
    DESCRIPTIVE = "descriptive"
    LIST = "list"
    MULTI_DOC = "multi_doc"
    FOLLOWUP = "followup"
    UNANSWERABLE = "unanswerable"


class Match(str, enum.Enum):
    """How the acceptable answers combine: any one of them suffices, or every one (list items) must appear."""

    ANY = "any"
    ALL = "all"


LANGS = ("zh", "en")
ROLES = ("user", "assistant")


@dataclass(frozen=True)
class EvalItem:
    """One question with what a correct reply must contain and where the support lives.

    ``answers`` are verbatim spans of the gold documents, so a correct extractive answer can contain
    them; ``doc_ids`` are the documents retrieval should surface (for an unanswerable item, the one that
    nearly answers it). ``context_doc_ids`` name the documents the question was written against
    (a SQuAD paragraph); empty means the whole corpus.
    """

    id: str
    question: str
    lang: str = "zh"
    type: ItemType = ItemType.FACTOID
    answerable: bool = True
    answers: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)
    history: list[dict[str, str]] = field(default_factory=list)
    match: Match = Match.ANY
    context_doc_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSONL form, so a converted dataset can be written back out and reloaded unchanged."""
        return {
            "id": self.id,
            "question": self.question,
            "lang": self.lang,
            "type": self.type.value,
            "answerable": self.answerable,
            "answers": list(self.answers),
            "evidence": list(self.evidence),
            "doc_ids": list(self.doc_ids),
            "history": [dict(turn) for turn in self.history],
            "match": self.match.value,
            "context_doc_ids": list(self.context_doc_ids),
        }


_REQUIRED = ("id", "question", "answerable", "answers", "doc_ids")
_KNOWN = {"id", "question", "lang", "type", "answerable", "answers", "evidence", "doc_ids", "history",
          "match", "context_doc_ids"}


class InvalidItem(ValueError):
    """A record that cannot be scored; ``load_jsonl`` reports it as a ``DocumentError`` with file and line."""


def _str_list(obj: dict[str, Any], key: str) -> list[str]:
    value = obj.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise InvalidItem(f"{key!r} must be a list of non-empty strings, got {value!r}")
    return list(value)


def item_from_dict(obj: Any) -> EvalItem:
    """Validate one parsed record; raises ``InvalidItem`` naming the offending field.

    Unknown keys are refused because a misspelt ``answer`` would otherwise silently leave an item with
    nothing to score against.
    """
    if not isinstance(obj, dict):
        raise InvalidItem(f"expected a JSON object, got {type(obj).__name__}")
    missing = [k for k in _REQUIRED if k not in obj]
    if missing:
        raise InvalidItem(f"missing field(s): {', '.join(missing)}")
    unknown = sorted(set(obj) - _KNOWN)
    if unknown:
        raise InvalidItem(f"unknown field(s): {', '.join(unknown)}")
    item_id, question = obj["id"], obj["question"]
    if not isinstance(item_id, str) or not item_id.strip():
        raise InvalidItem(f"'id' must be a non-empty string, got {item_id!r}")
    if not isinstance(question, str) or not question.strip():
        raise InvalidItem(f"'question' must be a non-empty string, got {question!r}")
    lang = obj.get("lang", "zh")
    if lang not in LANGS:
        raise InvalidItem(f"'lang' must be one of {', '.join(LANGS)}, got {lang!r}")
    try:
        item_type = ItemType(obj.get("type", ItemType.FACTOID.value))
    except ValueError:
        raise InvalidItem(f"'type' must be one of {', '.join(t.value for t in ItemType)}, "
                          f"got {obj.get('type')!r}") from None
    try:
        match = Match(obj.get("match", Match.ANY.value))
    except ValueError:
        raise InvalidItem(f"'match' must be one of {', '.join(m.value for m in Match)}, "
                          f"got {obj.get('match')!r}") from None
    answerable = obj["answerable"]
    if not isinstance(answerable, bool):
        raise InvalidItem(f"'answerable' must be true or false, got {answerable!r}")
    answers = _str_list(obj, "answers")
    if answerable and not answers:
        raise InvalidItem("an answerable item needs at least one acceptable answer")
    if not answerable and answers:
        raise InvalidItem("an unanswerable item must have no answers")
    if (item_type is ItemType.UNANSWERABLE) == answerable:
        raise InvalidItem("'type' unanswerable and 'answerable' false go together")
    history = obj.get("history", [])
    if not isinstance(history, list):
        raise InvalidItem(f"'history' must be a list of turns, got {history!r}")
    for turn in history:
        if (not isinstance(turn, dict) or set(turn) != {"role", "content"} or turn["role"] not in ROLES
                or not isinstance(turn["content"], str)):
            raise InvalidItem("each history turn must be {'role': user|assistant, 'content': str}, "
                              f"got {turn!r}")
    if item_type is ItemType.FOLLOWUP and not history:
        raise InvalidItem("a followup item needs the earlier turns in 'history'")
    return EvalItem(
        id=item_id,
        question=question,
        lang=lang,
        type=item_type,
        answerable=answerable,
        answers=answers,
        evidence=_str_list(obj, "evidence"),
        doc_ids=_str_list(obj, "doc_ids"),
        history=[dict(turn) for turn in history],
        match=match,
        context_doc_ids=_str_list(obj, "context_doc_ids"),
    )


def load_jsonl(path: str | Path = GOLD_PATH) -> list[EvalItem]:
    """Read one item per line; a bad line stops loading with the file and line number in the message."""
    path = Path(path)
    try:
        # split on "\n" only: str.splitlines would also break a record at a U+2028 inside a string
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError(f"{path}: cannot read eval items ({exc})") from exc
    items: list[EvalItem] = []
    seen: set[str] = set()
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = item_from_dict(json.loads(line))
        except json.JSONDecodeError as exc:
            raise DocumentError(f"{path}:{lineno}: not valid JSON ({exc.msg})") from exc
        except InvalidItem as exc:
            raise DocumentError(f"{path}:{lineno}: {exc}") from exc
        if item.id in seen:
            raise DocumentError(f"{path}:{lineno}: duplicate id {item.id!r}")
        seen.add(item.id)
        items.append(item)
    if not items:
        raise DocumentError(f"{path}: no eval items")
    return items


def _squad_articles(raw: Any, path: Path) -> list[dict[str, Any]]:
    data = raw.get("data") if isinstance(raw, dict) else raw
    if not isinstance(data, list):
        raise DocumentError(f"{path}: not a SQuAD-format file (no 'data' list of articles)")
    return data


def load_squad(
    path: str | Path,
    *,
    limit: int | None = None,
    sample: int | None = None,
    seed: int = 0,
    all_documents: bool = False,
) -> tuple[list[Document], list[EvalItem]]:
    """Turn a SQuAD-format file (CMRC 2018, DRCD, SQuAD 2) into documents to index and items to ask.

    Each paragraph becomes its own document because the questions were written against exactly that
    context. ``limit`` keeps the first N questions and ``sample`` a seeded random N (in file order), for
    quick runs; by default only the paragraphs those questions need are returned, so a small sample
    builds a small index, while ``all_documents`` keeps every paragraph as distractors. Questions with
    no text or no gold answer (the CMRC trial set has two blank questions) cannot be scored and are
    skipped with a warning instead of failing the whole file.
    """
    path = Path(path)
    if limit is not None and sample is not None:
        raise SettingsError("pass either limit or sample, not both")
    for name, value in (("limit", limit), ("sample", sample)):
        if value is not None and value < 1:
            raise SettingsError(f"{name} must be a positive number of questions, got {value}")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError(f"{path}: cannot read ({exc})") from exc
    except json.JSONDecodeError as exc:
        raise DocumentError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from exc

    documents: list[Document] = []
    items: list[EvalItem] = []
    used_ids: set[str] = set()
    skipped: list[str] = []
    for a_index, article in enumerate(_squad_articles(raw, path)):
        if not isinstance(article, dict) or not isinstance(article.get("paragraphs"), list):
            raise DocumentError(f"{path}: article {a_index} has no 'paragraphs' list")
        article_id = str(article.get("id") or f"article{a_index}")
        for p_index, paragraph in enumerate(article["paragraphs"]):
            context = paragraph.get("context") if isinstance(paragraph, dict) else None
            if not isinstance(context, str) or not context.strip():
                raise DocumentError(f"{path}: article {article_id} paragraph {p_index} has no context")
            doc_id = str(paragraph.get("id") or f"{article_id}-{p_index}")
            if doc_id in used_ids:
                doc_id = f"{doc_id}-{p_index}"
            if doc_id in used_ids:
                raise DocumentError(f"{path}: duplicate paragraph id {doc_id!r}")
            used_ids.add(doc_id)
            title = str(article.get("title") or "").strip() or context.strip()[:20]
            documents.append(Document(id=doc_id, title=title, text=context, source=path.name,
                                      meta={"dataset": path.name, "article_id": article_id}))
            for q_index, qa in enumerate(paragraph.get("qas", [])):
                if not isinstance(qa, dict):
                    raise DocumentError(f"{path}: paragraph {doc_id} question {q_index} is not an object")
                item_id = str(qa.get("id") or f"{doc_id}-q{q_index}")
                question = qa.get("question")
                impossible = bool(qa.get("is_impossible", False))
                answers: list[str] = []
                if not impossible:
                    texts = [a.get("text") for a in qa.get("answers", []) if isinstance(a, dict)]
                    answers = list(dict.fromkeys(t for t in texts if isinstance(t, str) and t.strip()))
                if not isinstance(question, str) or not question.strip() or not (impossible or answers):
                    skipped.append(item_id)
                    continue
                items.append(EvalItem(
                    id=item_id,
                    question=question.strip(),
                    lang="zh",
                    type=ItemType.UNANSWERABLE if impossible else ItemType.FACTOID,
                    answerable=not impossible,
                    answers=answers,
                    doc_ids=[doc_id],
                    context_doc_ids=[doc_id],
                ))

    if skipped:
        log.warning("%s: skipped %d question(s) with no question text or no gold answer: %s",
                    path, len(skipped), ", ".join(skipped[:5]) + (" ..." if len(skipped) > 5 else ""))
    if sample is not None and sample < len(items):
        keep = sorted(random.Random(seed).sample(range(len(items)), sample))
        items = [items[i] for i in keep]
    elif limit is not None:
        items = items[:limit]
    if not all_documents:
        needed = {d for item in items for d in item.doc_ids}
        documents = [d for d in documents if d.id in needed]
    return documents, items
