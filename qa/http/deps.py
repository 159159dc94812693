"""What routes receive through ``Depends``: the pipeline and settings the app was built with, the rate
limit on questions, and the API key that writes need.

``create_app`` puts the pipeline, the settings and the rate limiter on ``app.state``; routes take them
from there, so every router shares one pipeline and one limiter.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from qa.http.errors import HTTPRefusal
from qa.pipeline import Pipeline
from qa.settings import Settings

bearer = HTTPBearer(auto_error=False, description="The key in $QA_API_KEY on the server.")


def get_pipeline(request: Request) -> Pipeline:
    return request.app.state.pipeline


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


PipelineDep = Annotated[Pipeline, Depends(get_pipeline)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


async def rate_limited(request: Request) -> None:
    """Refuse a question over the per-client limit (``QA_RATE_LIMIT``), saying when to retry."""
    limiter = request.app.state.limiter
    wait = limiter.check(request.client.host if request.client else "unknown")
    if wait:
        raise HTTPRefusal(429, "rate_limited", f"too many questions: at most {limiter.per_minute} per "
                          f"minute; retry in {wait} s", {"Retry-After": str(wait)})


def write_key(settings: SettingsDep,
              credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> None:
    """Writes need ``Authorization: Bearer <key>``; the key is read from the environment now, compared in
    constant time, and never echoed."""
    key = settings.api_key()
    if key is None:
        raise HTTPRefusal(403, "writes_disabled", "writes are disabled on this server: set "
                          f"{settings.api_key_env} in its environment to enable them, then send "
                          "'Authorization: Bearer <key>'")
    if credentials is None:
        raise HTTPRefusal(401, "unauthorized", "this request needs 'Authorization: Bearer <key>'",
                          {"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(credentials.credentials.encode(), key.encode()):
        raise HTTPRefusal(401, "unauthorized", "the API key is not valid", {"WWW-Authenticate": "Bearer"})
