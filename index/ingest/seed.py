"""Turn the scraped expo web page into the Markdown corpus that ships with expo-qa.

The page in ``corpus/raw/expo_page.txt`` is the single source of truth; ``corpus/expo/*.md`` is generated
from it so that the shipped documents can be rebuilt, reviewed and checked in CI (``--check``). Answers quote
document text verbatim, so the parser only removes site boilerplate and otherwise keeps the page's bytes.

    python -m index.ingest.seed            # regenerate corpus/expo/ from corpus/raw/expo_page.txt
    python -m index.ingest.seed --check    # exit 1 if the committed files differ from what the page gives
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import os
import re
import sys
import tempfile
from pathlib import Path

from index.documents import Document
from index.errors import DocumentError

_REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SEED = _REPO_ROOT / "corpus" / "raw" / "expo_page.txt"
DEFAULT_OUT = _REPO_ROOT / "corpus" / "expo"

EXPO_INFO_ID = "expo-info"
EXPO_INFO_SOURCE = "中国国际电子商务博览会官网"

# Other modules, tests and eval sets refer to the shipped articles by these ids, so they must not drift
# when a title is re-scraped with different punctuation elsewhere on the page.
ARTICLE_IDS: dict[str, str] = {
    "海关总署关于推动综合保税区高质量发展23条综合改革措施解读": "customs-ftz-23-measures",
    "九部门:大力发展农村直播电商": "rural-livestream-ecommerce",
    "新品牌如何抓住抖音电商流量": "douyin-new-brands",
    "海关总署:前7个月我国进出口总值为23.55万亿元,同比增长0.4%": "customs-trade-jan-jul",
    "李强:充分释放中格自贸协定红利,加强跨境电商等领域合作": "china-georgia-fta",
    "7月份中国电商物流指数为110.9点 环比提高0.3个点": "ecommerce-logistics-index-july",
}

_ARTICLE_HEADER = re.compile(r"^\s*•\s*(?P<title>\S.*?)\s*发布时间\s*[:：]\s*(?P<date>\d{4}-\d{2}-\d{2})\s*$")
_EXPO_LINE = re.compile(r"^\s*(?P<venue>\S.*?)\s+(?P<dates>\d{4}\s*年.*?)\s*$")
_READ_MORE = "查看详细"
_NOTICE = re.compile(r"\s*注\s*[:：]\s*如有侵权\s*[,，]\s*请联系义乌电商博览会组委会办公室删除此文章\s*\Z")
_SOURCE = re.compile(r"来源\s*[:：]")

# Footer labels as the page spells them (without the trailing colon). Two of them are QR codes with no
# value; they are recognised only so that they are not mistaken for the value of the label before them.
_FOOTER_LABELS = frozenset(
    [
        "客服电话",
        "传真",
        "邮箱",
        "版权所有",
        "备案号",
        "技术支持",
        "公司",
        "地址",
        "展会咨询QQ",
        "参观咨询QQ",
        "官方微信",
        "采购商微信预登记",
    ]
)


def parse_seed(text: str, origin: str = "expo page") -> list[Document]:
    """The page's articles in page order, then one ``expo-info`` document built from its footer.

    ``origin`` only names the page in error messages.
    """
    # Not splitlines(): it also breaks on characters such as U+2028 that belong to the article text.
    lines = text.replace("\r\n", "\n").split("\n")
    expo_line, articles, footer = _split_page(lines, origin)
    docs = [_article_document(title, date, body_lines) for title, date, body_lines in articles]
    if not docs:
        raise DocumentError(f"{origin}: no article headers ('• TITLE发布时间:YYYY-MM-DD') found")
    docs.append(_expo_info_document(expo_line, _footer_fields(footer), origin))
    return docs


def _split_page(lines: list[str], origin: str) -> tuple[str, list[tuple[str, str, list[str]]], list[str]]:
    """Split the page into the expo line, the articles (title, date, body lines) and the footer lines."""
    expo_line: str | None = None
    articles: list[tuple[str, str, list[str]]] = []
    current: list[str] | None = None
    for number, line in enumerate(lines):
        header = _ARTICLE_HEADER.match(line)
        if header:
            current = []
            articles.append((header["title"], header["date"], current))
        elif not line.strip():
            continue
        elif current is not None:
            if line.strip() == _READ_MORE:
                current = None
            else:
                current.append(line.strip())
        elif articles:
            return _require_expo_line(expo_line, origin), articles, lines[number:]
        elif expo_line is None:
            expo_line = line
    return _require_expo_line(expo_line, origin), articles, []


def _require_expo_line(line: str | None, origin: str) -> str:
    if line is None:
        raise DocumentError(f"{origin}: the venue and dates line before the first article is missing")
    return line


def _article_document(title: str, date: str, body_lines: list[str]) -> Document:
    body = _NOTICE.sub("", "\n".join(body_lines)).rstrip()
    sources = list(_SOURCE.finditer(body))
    source = body[sources[-1].start() :].strip() if sources else None
    text = f"# {title}\n\n{body}" if body else f"# {title}"
    return Document(id=article_id(title, date), title=title, text=text, date=date, source=source)


def article_id(title: str, date: str) -> str:
    """The fixed id for a known title, else one that stays stable as long as the title and date do."""
    if title in ARTICLE_IDS:
        return ARTICLE_IDS[title]
    digest = hashlib.sha1(title.encode("utf-8")).hexdigest()[:8]
    return f"article-{date.replace('-', '')}-{digest}"


def _footer_fields(lines: list[str]) -> dict[str, list[str]]:
    """Footer values per label, in page order (``版权所有`` appears twice)."""
    fields: dict[str, list[str]] = {}
    label: str | None = None
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        name = line.rstrip(":：").strip()
        # "在线咨询 展会咨询QQ": a section heading and the label share one line.
        last_word = name.split()[-1] if name else ""
        if line[-1] in ":：" or last_word in _FOOTER_LABELS:
            label = last_word if last_word in _FOOTER_LABELS else name
            fields.setdefault(label, [])
        elif label is not None:
            fields[label].append(line)
    return fields


def _expo_info_document(expo_line: str, fields: dict[str, list[str]], origin: str) -> Document:
    match = _EXPO_LINE.match(expo_line)
    if not match:
        raise DocumentError(f"{origin}: cannot read venue and dates from {expo_line.strip()!r}")

    def one(label: str, index: int = 0) -> str:
        values = fields.get(label, [])
        if len(values) <= index:
            raise DocumentError(f"{origin}: the footer has no value for {label!r}")
        return values[index]

    copyright_values = fields.get("版权所有", [])
    police = [v for v in copyright_values if "公网安备" in v]
    names = [v for v in copyright_values if "公网安备" not in v]
    if not police or not names:
        raise DocumentError(
            f"{origin}: the footer needs both 版权所有 values (expo name and 浙公网安备 number)"
        )
    name = names[0]
    title = f"{name} 展会信息"
    rows = [
        ("展会名称", name),
        ("展会时间", match["dates"]),
        ("展会地点", match["venue"]),
        ("客服电话", "、".join(one("客服电话").split())),
        ("传真", one("传真")),
        ("邮箱", one("邮箱")),
        ("公司", one("公司")),
        ("地址", one("地址")),
        ("展会咨询QQ", one("展会咨询QQ")),
        ("参观咨询QQ", one("参观咨询QQ")),
        ("版权所有", name),
        ("网站备案号", one("备案号")),
        ("公安备案号", police[0]),
        ("技术支持", one("技术支持")),
    ]
    text = "\n".join([f"# {title}", ""] + [f"{label}：{value}" for label, value in rows])
    return Document(id=EXPO_INFO_ID, title=title, text=text, date=None, source=EXPO_INFO_SOURCE)


def render_document(doc: Document) -> str:
    """The Markdown file for ``doc``: YAML front matter, a blank line, the text.

    Values are JSON-quoted because a JSON string is a valid YAML double-quoted scalar, so titles such as
    ``九部门:大力发展…`` or dates stay strings instead of becoming mappings or date objects.
    """

    def quoted(value: str | None) -> str:
        return "null" if value is None else json.dumps(value, ensure_ascii=False)

    header = "\n".join(
        [
            "---",
            f"id: {quoted(doc.id)}",
            f"title: {quoted(doc.title)}",
            f"date: {quoted(doc.date)}",
            f"source: {quoted(doc.source)}",
            "---",
        ]
    )
    return f"{header}\n\n{doc.text}\n"


def write_corpus(docs: list[Document], out_dir: Path) -> list[Path]:
    """Write ``<id>.md`` for each document; a reader never sees a half-written file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for doc in docs:
        path = out_dir / f"{doc.id}.md"
        _write_atomically(path, render_document(doc).encode("utf-8"))
        written.append(path)
    return written


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp creates the file private to its owner; corpus files are meant to be shared and committed.
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_corpus(docs: list[Document], out_dir: Path) -> list[str]:
    """One line per file that differs from what ``docs`` would write; empty when all match."""
    problems = []
    expected = {f"{doc.id}.md": render_document(doc) for doc in docs}
    for name, want in expected.items():
        path = out_dir / name
        if not path.is_file():
            problems.append(f"missing: {path}")
            continue
        have = path.read_bytes().decode("utf-8", errors="replace")
        if have != want:
            problems.append(f"differs: {path}")
            diff = difflib.unified_diff(
                have.splitlines(), want.splitlines(), "committed", "generated", n=0, lineterm=""
            )
            problems.extend(f"    {line[:120]}" for line in list(diff)[:12])
    if out_dir.is_dir():
        for path in sorted(out_dir.glob("*.md")):
            if path.name not in expected:
                problems.append(f"unexpected: {path} (not produced by the seed page)")
    return problems


def read_seed(path: Path) -> str:
    """The page text; the page is the corpus' source of truth, so anything but UTF-8 is an error."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read the seed page ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{path}: the seed page is not UTF-8 (bad byte at offset {exc.start})") from exc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m index.ingest.seed",
        description="Regenerate the shipped Markdown corpus from the scraped expo page.",
        epilog="examples:\n  python -m index.ingest.seed\n  python -m index.ingest.seed --check",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--seed", type=Path, default=DEFAULT_SEED, help="the scraped page (default: %(default)s)"
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="corpus directory (default: %(default)s)"
    )
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if the files differ")
    args = parser.parse_args(argv)
    try:
        docs = parse_seed(read_seed(args.seed), origin=str(args.seed))
    except DocumentError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        problems = check_corpus(docs, args.out)
        if problems:
            print(f"{args.out} is out of date; run `python -m index.ingest.seed` to regenerate it:", file=sys.stderr)
            print("\n".join(problems), file=sys.stderr)
            return 1
        print(f"{args.out} is up to date ({len(docs)} documents)")
        return 0
    written = write_corpus(docs, args.out)
    print(f"wrote {len(written)} documents to {args.out}")
    for problem in check_corpus(docs, args.out):
        print(f"warning: {problem}; remove it if it is stale", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
