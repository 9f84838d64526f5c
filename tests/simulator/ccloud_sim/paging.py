"""Pages of the list answers of org/v2, cmk/v2, iam/v2, ksqldbcm/v2 and fcpm/v2: page_size, page_token, and the
first and next links."""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import urlencode

from .routing import ok

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 100
MAX_PAGE_TOKEN_LEN = 255


def encode_page_token(seq: int, kind: str = "env") -> str:
    return base64.urlsafe_b64encode(("%s-after:%d" % (kind, seq)).encode("ascii")).decode("ascii").rstrip("=")


def decode_page_token(token: str, kind: str = "env"):
    """The position a page token of the ``kind`` list stands for, or None if it is not one."""
    if not token or len(token) > MAX_PAGE_TOKEN_LEN:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    match = re.fullmatch(re.escape(kind) + r"-after:(\d+)", raw)
    return int(match.group(1)) if match else None


def paginate(req, params, ordered, token_kind, link, link_params, only_next=False):
    """One page of ``ordered`` (objects with a ``seq``), as ``(None, (page, metadata))``, or
    ``(error_response, None)`` for a bad page_size or page_token. ``link_params`` are the
    filters that the ``first`` and ``next`` links repeat. ``only_next``: the metadata has the ``next`` link
    alone, no ``first`` and no ``total_size`` (fcpm-v2.yaml: "only the `next` field will be populated")."""
    page_size = DEFAULT_PAGE_SIZE
    if "page_size" in params:
        raw = params["page_size"][-1]
        if not re.fullmatch(r"[+-]?\d+", raw.strip() or "x") or not 1 <= int(raw) <= MAX_PAGE_SIZE:
            return req.fail(400, "invalid_parameter", "Invalid Parameter",
                            "page_size must be an integer between 1 and %d" % MAX_PAGE_SIZE,
                            source={"parameter": "page_size"}), None
        page_size = int(raw)
    after = -1
    if "page_token" in params:
        after = decode_page_token(params["page_token"][-1], token_kind)
        if after is None:
            return req.fail(400, "invalid_parameter", "Invalid Parameter",
                            "page_token is not valid", source={"parameter": "page_token"}), None
    remaining = [item for item in ordered if item.seq > after]
    page = remaining[:page_size]
    link_q = list(link_params) + ([("page_size", str(page_size))] if "page_size" in params else [])
    metadata = {} if only_next else {"first": link + ("?" + urlencode(link_q) if link_q else ""),
                                     "total_size": len(ordered)}
    if len(remaining) > page_size:
        token = encode_page_token(page[-1].seq, token_kind)
        metadata["next"] = link + "?" + urlencode(link_q + [("page_token", token)])
    return None, (page, metadata)


def list_page(req, params, items, token_kind, path, link_params, api_version, kind, only_next=False):
    """200 with one page of ``items`` as a ``kind`` list of ``api_version`` at ``path``, or the 400 of a bad
    page_size or page_token."""
    error, result = paginate(req, params, items, token_kind, req.base + path, link_params, only_next)
    if error:
        return error
    page, metadata = result
    return ok({
        "api_version": api_version,
        "kind": kind,
        "metadata": metadata,
        "data": [item.body(req.base, req.sim.org_id) for item in page],
    })
