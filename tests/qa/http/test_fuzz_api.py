"""The HTTP API fuzzed from its own OpenAPI schema with schemathesis, on a real server.

The server is a subprocess on a free 127.0.0.1 port (``bench/load_mixed.py --serve-only``: the API with
the hash embedder over the shipped corpus, on a throwaway data dir) with ``QA_API_KEY`` set, and every
request carries that key, so uploads and deletes are fuzzed as well as reads. For each operation,
schemathesis generates requests that fit the schema (positive) and requests that break it (negative).

Every response goes through schemathesis' checks: no 5xx, a status and a content type the operation
declares, a body that matches the declared schema, and invalid bodies refused. ``positive_data_acceptance``
is left out: the API also enforces rules that JSON Schema cannot state (``date_from`` after ``date_to``,
a question of NUL characters only, an uploaded file whose name has an unsupported suffix or whose bytes
are not UTF-8 text) and refuses them with a 4xx that the schema does declare, which that check counts as
a failure. ``negative_data_rejection`` is left out when only query or path values were made invalid,
because once in a URL they are valid strings. ``QA_FUZZ_EXAMPLES`` raises the number of examples per operation and mode (default 45,
about 600 requests in well under a minute).
"""

from __future__ import annotations

import json
import os
from collections import Counter

import hypothesis
import pytest
import requests
import schemathesis  # in the test extra: a missing install fails here rather than skipping the fuzzing
from hypothesis import HealthCheck, Phase, given

from bench.load_mixed import ServerProcess

KEY = "fuzz-key-7d2e91"
EXAMPLES = int(os.environ.get("QA_FUZZ_EXAMPLES", "45"))
MIN_REQUESTS = 500
# Operations whose valid requests should mostly succeed: a fuzzer that only ever got 4xx back would
# test the validation layer and nothing behind it.
MUST_SUCCEED = {"POST /api/ask", "POST /api/ask/stream", "GET /api/search", "POST /api/documents",
                "POST /v1/chat/completions", "GET /api/documents", "GET /healthz", "GET /v1/models"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("fuzz")
    with ServerProcess(root / "data", fake_embedder=True, api_key=KEY, startup_s=180) as srv:
        yield srv
        assert srv.proc.poll() is None, "the server died during the fuzzing:\n" + srv.log_tail(60)
    assert "Traceback" not in srv.log_path.read_text(errors="replace"), srv.log_tail(80)


def test_fuzzed_requests_get_declared_answers_and_no_server_errors(server: ServerProcess) -> None:
    from schemathesis import GenerationMode

    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {KEY}"
    statuses: Counter[tuple[str, str, int]] = Counter()
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 10

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _fuzz(operation, mode, server.url, session, statuses)()
            except hypothesis.errors.Unsatisfiable:
                pass  # e.g. no way to make a request without parameters invalid
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collected, reported together
                failures.append(f"{operation.label} ({mode.value}): {exc}")

    total = sum(statuses.values())
    summary = "\n".join(f"{label} {mode}: {status} x{n}" for (label, mode, status), n in sorted(statuses.items()))
    print(f"{total} requests:\n{summary}")
    assert not failures, "\n\n".join(failures) + f"\n\nstatuses:\n{summary}"
    assert total >= MIN_REQUESTS, f"only {total} requests were generated:\n{summary}"
    assert not any(status >= 500 for (_, _, status) in statuses), summary
    succeeded = {label for (label, mode, status) in statuses if mode == "positive" and 200 <= status < 300}
    assert MUST_SUCCEED <= succeeded, f"never a 2xx for {sorted(MUST_SUCCEED - succeeded)}:\n{summary}"


MAX_FUZZ_BODY = 900_000  # the server's limit is 1_000_000 bytes


def _body_size(body) -> int:
    """Roughly how many bytes a generated body becomes on the wire (0 for no body)."""
    if isinstance(body, (bytes, bytearray, str)):
        return len(body)
    try:
        return len(json.dumps(body))
    except TypeError:  # no body (schemathesis' NotSet) or a multipart payload
        return 0


def _fuzz(operation, mode, url: str, session: requests.Session, statuses: Counter):
    """A Hypothesis test sending ``EXAMPLES`` generated requests for one operation and mode."""
    from schemathesis.checks import negative_data_rejection, positive_data_acceptance
    from schemathesis.core.parameters import ParameterLocation

    @hypothesis.settings(max_examples=EXAMPLES, deadline=None, database=None,
                         suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case) -> None:
        # A body past the server's size limit is refused with 413 before anything reads it, a status
        # schemathesis does not count as refusing invalid data; those are tested on their own
        # (test_api.py, test_reliability.py), so the fuzzer keeps to bodies under the limit.
        hypothesis.assume(_body_size(case.body) < MAX_FUZZ_BODY)
        excluded = [positive_data_acceptance]
        if case.meta is not None and not case.meta.is_negative_at(ParameterLocation.BODY):
            # In a URL every value is text: a null, a number or a nested list where the schema wants a
            # string arrives as a perfectly valid string ("null", "-5866", ...), so an invalid query or
            # path value cannot be told from a valid one. Those requests still must not fail or break
            # the declared responses; tests/qa/http/test_reliability.py refuses bad query values one by one.
            excluded.append(negative_data_rejection)
        response = case.call_and_validate(session=session, base_url=url, timeout=60, excluded_checks=excluded)
        statuses[operation.label, mode.value, response.status_code] += 1

    return check
