#!/usr/bin/env python3
"""Validate one HTTP response body against the response schema in openapi.yaml.

Usage:
    python3 scripts/validate_response.py METHOD PATH STATUS [--spec FILE] [--content-type TYPE] < body

    METHOD        GET, POST, PATCH, DELETE, ... (case-insensitive)
    PATH          a path template as written in the spec (/folders/{folder}/messages/{uid}) or a
                  concrete request path (/folders/INBOX/messages/7), which is matched to a template
    STATUS        the HTTP status code the server answered with
    --spec        the OpenAPI document (default: openapi.yaml at the repository root)
    --content-type  which of the response's media types to use (default: the JSON one)
    --header 'Name: value'  a response header (repeatable); when any is given, every header the
                  spec marks `required` must be among them and each documented one must match its schema

Exit status: 0 when the body matches, 1 when it does not (each violation is printed with its
location in the body), 2 when the arguments do not name a response in the spec.

OpenAPI 3.1 schemas are JSON Schema 2020-12, so the body is checked with `jsonschema`'s
Draft 2020-12 validator; `$ref`s resolve against the whole document.
"""
import argparse
import json
import os
import re
import sys
from urllib.parse import unquote

try:
    import yaml
    from jsonschema import Draft202012Validator, FormatChecker
    from jsonschema.exceptions import best_match
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012
except ImportError as missing:  # pragma: no cover - environment problem
    sys.stderr.write(
        f"validate_response.py needs PyYAML and jsonschema>=4.18 ({missing}); "
        "install them with: python3 -m pip install pyyaml jsonschema\n")
    sys.exit(2)

SPEC_URI = "urn:imap-gateway:openapi"
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


class UsageError(Exception):
    """The arguments do not name a response in the spec."""


def pointer_escape(token):
    return str(token).replace("~", "~0").replace("/", "~1")


def resolve_local(spec, ref):
    """Follows a `#/a/b` reference inside the spec; returns (object, pointer)."""
    if not ref.startswith("#/"):
        raise UsageError(f"only local references are supported, not {ref}")
    node = spec
    for raw in ref[2:].split("/"):
        token = unquote(raw).replace("~1", "/").replace("~0", "~")
        node = node[token]
    return node, ref[1:]


def find_path(spec, path):
    """The spec's path template for `path`: itself if listed, else the template it matches."""
    paths = spec.get("paths", {})
    if path in paths:
        return path
    segments = path.split("?")[0].rstrip("/").split("/")
    matches = []
    for template in paths:
        parts = template.rstrip("/").split("/")
        if len(parts) != len(segments):
            continue
        literal = 0
        for part, segment in zip(parts, segments):
            if re.fullmatch(r"\{[^}]+\}", part):
                continue
            if part != segment:
                break
            literal += 1
        else:
            matches.append((literal, template))
    if not matches:
        known = "\n  ".join(sorted(paths))
        raise UsageError(f"no path in the spec matches {path}; known paths:\n  {known}")
    # `/messages/batch` beats `/messages/{uid}`: prefer the template with more literal segments.
    return max(matches)[1]


def find_response(spec, method, template, status):
    operation = spec["paths"][template].get(method)
    if operation is None:
        offered = sorted(m.upper() for m in spec["paths"][template] if m in METHODS)
        raise UsageError(f"{method.upper()} {template} is not in the spec (it offers {', '.join(offered)})")
    responses = operation.get("responses", {})
    pointer = f"/paths/{pointer_escape(template)}/{method}/responses"
    for key in (str(status), f"{str(status)[0]}XX", "default"):
        if key in responses:
            response, response_pointer = responses[key], f"{pointer}/{pointer_escape(key)}"
            break
    else:
        raise UsageError(
            f"{method.upper()} {template} documents no {status} response (it has {', '.join(responses)})")
    while "$ref" in response:
        response, response_pointer = resolve_local(spec, response["$ref"])
    return operation.get("operationId", f"{method.upper()} {template}"), response, response_pointer


def choose_media_type(content, wanted):
    if wanted:
        if wanted not in content:
            raise UsageError(f"the response has no {wanted} content (it has {', '.join(content)})")
        return wanted
    json_types = [t for t in content if t == "application/json" or t.endswith("+json")]
    if len(json_types) == 1:
        return json_types[0]
    if len(content) == 1:
        return next(iter(content))
    raise UsageError(f"the response has several media types ({', '.join(content)}); pass --content-type")


def check_headers(spec, response, header_lines):
    """Problems with the given response headers; none when no headers were given."""
    if not header_lines:
        return []
    given = {}
    problems = []
    for line in header_lines:
        name, separator, value = line.partition(":")
        if not separator:
            raise UsageError(f"--header wants 'Name: value', not {line!r}")
        given[name.strip().lower()] = value.strip()
    for name, header in response.get("headers", {}).items():
        while "$ref" in header:
            header, _ = resolve_local(spec, header["$ref"])
        value = given.get(name.lower())
        if value is None:
            if header.get("required"):
                problems.append(f"{name} is required but missing")
            continue
        schema = header.get("schema", {})
        if schema.get("type") == "integer" and not re.fullmatch(r"[0-9]+", value):
            problems.append(f"{name}: {value!r} is not a whole number")
        elif schema.get("type") == "integer" and "minimum" in schema and int(value) < schema["minimum"]:
            problems.append(f"{name}: {value} is less than {schema['minimum']}")
    return problems


def location(path):
    text = "$"
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("method")
    parser.add_argument("path")
    parser.add_argument("status", type=int)
    default_spec = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "openapi.yaml")
    parser.add_argument("--spec", default=os.environ.get("OPENAPI_SPEC", default_spec))
    parser.add_argument("--content-type")
    parser.add_argument("--header", action="append", default=[], metavar="'NAME: VALUE'")
    args = parser.parse_args(argv)

    method = args.method.lower()
    is_head = method == "head"
    if is_head:
        method = "get"  # HEAD answers what GET answers, without a body
    try:
        with open(args.spec, encoding="utf-8") as handle:
            spec = yaml.safe_load(handle)
        template = find_path(spec, args.path)
        operation, response, response_pointer = find_response(spec, method, template, args.status)
        body = sys.stdin.buffer.read()
        header_problems = check_headers(spec, response, args.header)
        if header_problems:
            print(f"INVALID {operation} {args.status}: headers", file=sys.stderr)
            for problem in header_problems:
                print(f"  {problem}", file=sys.stderr)
            return 1
        if is_head:
            if body.strip():
                print(f"INVALID {operation} {args.status}: a HEAD response has no body, but {len(body)} bytes came",
                      file=sys.stderr)
                return 1
            print(f"ok: HEAD {operation} {args.status} (no body)")
            return 0
        content = response.get("content")
        if not content:
            if body.strip():
                print(f"INVALID {operation} {args.status}: the spec says this response has no body, "
                      f"but {len(body)} bytes came", file=sys.stderr)
                return 1
            print(f"ok: {operation} {args.status} (no body)")
            return 0
        media_type = choose_media_type(content, args.content_type)
    except UsageError as error:
        print(f"validate_response.py: {error}", file=sys.stderr)
        return 2

    schema_pointer = f"{response_pointer}/content/{pointer_escape(media_type)}/schema"
    if "schema" not in content[media_type]:
        print(f"ok: {operation} {args.status} {media_type} (the spec gives no schema)")
        return 0
    if not (media_type == "application/json" or media_type.endswith("+json")):
        print(f"ok: {operation} {args.status} {media_type} (not JSON; only JSON bodies are checked)")
        return 0
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        print(f"INVALID {operation} {args.status}: the body is not JSON ({error}); first bytes: {body[:120]!r}",
              file=sys.stderr)
        return 1

    registry = Registry().with_resource(SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT202012))
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": f"{SPEC_URI}#{schema_pointer}"}
    validator = Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(document), key=lambda e: (list(e.absolute_path), e.message))
    if errors:
        print(f"INVALID {operation} {args.status} {media_type}: {len(errors)} problem(s)", file=sys.stderr)
        for error in errors:
            # For oneOf/anyOf failures the most specific sub-error says more than the summary.
            detail = error
            while detail.context:
                detail = best_match(detail.context)
            where = location(detail.absolute_path)
            print(f"  at {where}: {detail.message}", file=sys.stderr)
            if detail is not error:
                print(f"    ({error.message[:200]})", file=sys.stderr)
        return 1
    print(f"ok: {operation} {args.status} {media_type}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
