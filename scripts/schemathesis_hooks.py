"""Schemathesis hooks for the gateway (SCHEMATHESIS_HOOKS=schemathesis_hooks, scripts/ on PYTHONPATH).

- Uploads are `message/rfc822`: sent as the generated text, like text/plain.
- `application/yaml` answers are checked as text, as openapi.yaml documents them.
- `server_error_not_from_imap` replaces `not_a_server_error` (issue 13): any 5xx fails except
  502, 503 and 504 whose problem document says the IMAP server caused it (its `type` is one of
  the IMAP slugs below). A healthy Dovecot should give none of those either; they are allowed so
  a slow run is not reported as a gateway defect.
"""
import json

import schemathesis
from schemathesis.core import media_types

schemathesis.serializer.alias("message/rfc822", "text/plain")


# Every YAML spelling: schemathesis tries them in registration order, the first match wins.
@schemathesis.deserializer(*media_types.YAML_MEDIA_TYPES)
def yaml_as_text(ctx, response):
    """`GET /openapi.yaml` is documented as the document's text (`type: string`), which generated
    clients can hand on as it is; schemathesis would parse it into an object first."""
    return response.content.decode("utf-8")

PROBLEMS = "https://imap-gateway.dev/problems/"
# `imap-rejected` (a NO or BAD the gateway could not place) is not here on purpose: random input
# that reaches the server and is refused there should have been a 4xx from the gateway.
IMAP_CAUSED = {"imap-unavailable", "imap-timeout", "imap-busy", "imap-throttled", "imap-backoff", "pool-exhausted"}


@schemathesis.check
def server_error_not_from_imap(ctx, response, case):
    status = response.status_code
    if status < 500:
        return None
    slug = None
    try:
        slug = json.loads(response.content).get("type", "").removeprefix(PROBLEMS)
    except (ValueError, AttributeError):
        pass
    if status in (502, 503, 504) and slug in IMAP_CAUSED:
        return None
    raise AssertionError(f"{status} ({slug or 'no problem document'}) is a gateway defect, not the IMAP server's doing")
