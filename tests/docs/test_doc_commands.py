"""Every shell command in README.md and docs/api.md that talks to the server, pasted as written into a
real `qa serve`: each must get a 2xx and a JSON (or server-sent events) body, so the docs cannot drift
from the server again.

Commands are taken from the ```bash / ```sh blocks: a command runs on until its quotes balance and it
no longer ends in a backslash; the ones starting with ``curl`` are run, with ``$QA_API_KEY`` set as the
docs assume, the documented address replaced by the test server's, and curl asked for the status code.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from bench.serve import REPO, ServerProcess

pytestmark = pytest.mark.slow

DOCS = [REPO / "README.md", REPO / "docs" / "api.md"]
DOCUMENTED = "http://127.0.0.1:8000"
KEY = "change-me"
_FENCE = re.compile(r"^```(\w*)\s*$")


def shell_commands(markdown: str) -> list[str]:
    """The commands of the shell blocks, continuation lines and multi-line quotes joined."""
    commands, pending, lang = [], "", None
    for line in markdown.splitlines():
        fence = _FENCE.match(line.strip())
        if fence:
            lang = None if lang is not None else fence.group(1)
            pending = ""
            continue
        if lang not in ("bash", "sh", "shell"):
            continue
        pending = f"{pending}\n{line}" if pending else line
        if pending.rstrip().endswith("\\"):
            continue
        try:
            shlex.split(pending, comments=True)
        except ValueError:  # an open quote: the command goes on
            continue
        if pending.strip() and not pending.lstrip().startswith("#"):
            commands.append(pending.strip())
        pending = ""
    return commands


def server_commands() -> list[tuple[str, str]]:
    found = []
    for doc in DOCS:
        for cmd in shell_commands(doc.read_text(encoding="utf-8")):
            if cmd.startswith("curl ") and DOCUMENTED in cmd:
                found.append((doc.name, cmd))
    return found


def test_the_docs_have_server_commands_to_check() -> None:
    commands = server_commands()
    assert len(commands) >= 15
    assert any("--data-urlencode" in c for _, c in commands)
    assert sum(name == "README.md" for name, _ in commands) >= 4


def test_commands_are_joined_as_a_shell_would() -> None:
    md = "```sh\ncurl -s URL \\\n  -d '{\n  \"a\": 1\n}'\ncurl -s B   # a comment\n```\n```json\n{}\n```\n"
    assert shell_commands(md) == ["curl -s URL \\\n  -d '{\n  \"a\": 1\n}'", "curl -s B   # a comment"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    with ServerProcess(tmp_path_factory.mktemp("docs") / "data", api_key=KEY) as srv:
        yield srv


def _argv(cmd: str, url: str) -> list[str]:
    argv = shlex.split(cmd.replace("\\\n", " ").replace("$QA_API_KEY", KEY), comments=True)
    return [a.replace(DOCUMENTED, url) for a in argv] + ["-w", "\n%{http_code} %{content_type}"]


def _check_body(body: str, content_type: str, cmd: str) -> None:
    if content_type.startswith("text/event-stream"):
        data = [ln[5:].strip() for ln in body.splitlines() if ln.startswith("data:")]
        assert data, f"no events from: {cmd}"
        for item in data:
            if item != "[DONE]":
                json.loads(item)
    else:
        assert content_type.startswith("application/json"), f"{content_type} from: {cmd}"
        json.loads(body)


@pytest.mark.parametrize(("doc", "cmd"), server_commands(), ids=lambda v: v if v.endswith(".md") else v[:60])
def test_documented_command_works_when_pasted(server: ServerProcess, tmp_path: Path, doc: str, cmd: str) -> None:
    (tmp_path / "notices.jsonl").write_text(  # the file the upload example sends
        json.dumps({"id": "notices-1", "title": "2024年网博会通知", "text": "网博会将于9月在义乌举办。"},
                   ensure_ascii=False) + "\n", encoding="utf-8")
    out = subprocess.run(_argv(cmd, server.url), cwd=tmp_path, capture_output=True, text=True, timeout=120,
                         check=False)
    assert out.returncode == 0, f"{doc}: {cmd}\n{out.stderr}"
    body, _, status_line = out.stdout.rpartition("\n")
    status, _, content_type = status_line.partition(" ")
    assert status.startswith("2"), f"{doc}: HTTP {status} from: {cmd}\n{body[:500]}"
    _check_body(body, content_type, cmd)
