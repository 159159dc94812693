"""Parts of speech for segmented words, read one word at a time instead of all at start-up.

jieba's tagger reads the tag of every word of its 350k-word dictionary when it is imported (about half a
second, on every ``qa ask``), although a question needs the tags of a dozen words. Here the same table
is kept in a small SQLite file built once from jieba's dictionary (in jieba's own cache folder, keyed by
that dictionary's path, size and time), and each word's tag is read when it is first asked for.

``tagged_cut`` segments like jieba's precise mode without HMM and tags like its tagger: runs of single
letters and digits join into one ``eng`` word; outside Chinese blocks, numbers are ``m``, letters
``eng`` and the rest ``x``; a word the dictionary does not tag is ``x``.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import jieba

from index.storage.atomic import write_atomic

_HAN_BLOCK = re.compile(r"([\u4E00-\u9FD5a-zA-Z0-9+#&\._]+)")
_SPACE = re.compile(r"(\r\n|\s)")
_NUMBER = re.compile(r"[\.0-9]+")
_LATIN = re.compile(r"[a-zA-Z0-9]+")
_ONE_LATIN = re.compile(r"^[a-zA-Z0-9]$")


def _dictionary_path() -> Path:
    return Path(jieba.__file__).resolve().parent / "dict.txt"


def _table_path(cache_dir: Path, dictionary: Path) -> Path:
    st = dictionary.stat()
    key = hashlib.sha256(f"{dictionary}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()[:12]
    return cache_dir / f"expo-qa-word-tags-{key}.sqlite"


def _read_tags(dictionary: Path) -> dict[str, str]:
    rows = {}
    for line in dictionary.read_text(encoding="utf-8").splitlines():
        parts = line.split(" ")
        if len(parts) >= 3 and parts[0]:
            rows[parts[0]] = parts[2]  # later lines win, as in jieba's own loading
    return rows


def _build(path: Path, dictionary: Path) -> None:
    """Write the word → tag table beside ``path`` and move it into place, so a reader never opens a
    half-written table and two processes building at once both end with a whole one."""
    rows = _read_tags(dictionary)

    def fill(tmp: Path) -> None:
        con = sqlite3.connect(tmp)
        with con:
            con.execute("CREATE TABLE tags (word TEXT PRIMARY KEY, tag TEXT NOT NULL) WITHOUT ROWID")
            con.executemany("INSERT INTO tags VALUES (?, ?)", rows.items())
        con.close()
        tmp.chmod(0o644)  # a shared cache folder (jieba's own): other users read it too

    write_atomic(path, fill)


class WordTags:
    """jieba's word → part-of-speech table, read on demand; tags given to ``add_word`` take precedence."""

    def __init__(self, tokenizer: jieba.Tokenizer, cache_dir: Path | None = None) -> None:
        self._tokenizer = tokenizer
        self._cache_dir = Path(cache_dir or tempfile.gettempdir())
        self._memo: dict[str, str] = {}
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._all: dict[str, str] | None = None  # the whole table, when no cache file can be used

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            dictionary = _dictionary_path()
            path = _table_path(self._cache_dir, dictionary)
            if not path.exists():
                self._cache_dir.mkdir(parents=True, exist_ok=True)
                _build(path, dictionary)
            self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        return self._db

    def _lookup(self, word: str) -> str:
        if self._all is None:
            try:
                row = self._connection().execute("SELECT tag FROM tags WHERE word = ?", (word,)).fetchone()
                return row[0] if row else ""
            except (OSError, sqlite3.Error):
                # A cache folder that cannot be written or a damaged file: read the dictionary instead.
                self._all = _read_tags(_dictionary_path())
        return self._all.get(word, "")

    def get(self, word: str, default: str = "x") -> str:
        user = self._tokenizer.user_word_tag_tab.get(word)
        if user is not None:
            return user
        tag = self._memo.get(word)
        if tag is None:
            with self._lock:
                tag = self._memo[word] = self._lookup(word)
        return tag or default


def _dag_words(tokenizer: jieba.Tokenizer, block: str) -> Iterator[tuple[str, bool]]:
    """(word, is_latin_run) of one Chinese block, by jieba's most probable route without HMM."""
    dag = tokenizer.get_DAG(block)
    route: dict[int, tuple[float, int]] = {}
    tokenizer.calc(block, dag, route)
    x, buf = 0, ""
    while x < len(block):
        y = route[x][1] + 1
        word = block[x:y]
        if _ONE_LATIN.match(word):
            buf += word
        else:
            if buf:
                yield buf, True
                buf = ""
            yield word, False
        x = y
    if buf:
        yield buf, True


def tagged_cut(tokenizer: jieba.Tokenizer, tags: WordTags, text: str) -> Iterator[tuple[str, str]]:
    """(word, part of speech) for every piece of ``text``, whitespace included."""
    tokenizer.check_initialized()
    for block in _HAN_BLOCK.split(text):
        if not block:
            continue
        if _HAN_BLOCK.match(block):
            for word, latin in _dag_words(tokenizer, block):
                yield word, "eng" if latin else tags.get(word)
            continue
        for piece in _SPACE.split(block):
            if _SPACE.match(piece):
                yield piece, "x"
                continue
            for ch in piece:
                yield ch, "m" if _NUMBER.match(ch) else "eng" if _LATIN.match(piece) else "x"
