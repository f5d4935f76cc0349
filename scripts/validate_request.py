#!/usr/bin/env python3
"""Judge JSON request bodies by openapi.yaml's request schemas, many at once.

Usage:
    python3 scripts/validate_request.py [--spec FILE] < cases.jsonl

Each input line is {"method": "PATCH", "path": "/folders/X/messages/1", "body": <any JSON>}.
Each output line is `valid` or `invalid: <first problem>`, in input order, so a test can compare
the spec's verdict with the server's answer for the same body (issue 13: spec and server agree).

Exit status: 0 when every line was judged, 2 when a line names no JSON request body in the spec.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from validate_response import (DRAFT202012, SPEC_URI, Draft202012Validator, FormatChecker,  # noqa: E402
                               Registry, Resource, UsageError, find_path, location, pointer_escape, yaml)


def request_schema_pointer(spec, method, template):
    operation = spec["paths"][template].get(method)
    if operation is None:
        raise UsageError(f"{method.upper()} {template} is not in the spec")
    body = operation.get("requestBody", {})
    if "application/json" not in body.get("content", {}):
        raise UsageError(f"{method.upper()} {template} takes no JSON body")
    return f"/paths/{pointer_escape(template)}/{method}/requestBody/content/application~1json/schema"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_spec = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "openapi.yaml")
    parser.add_argument("--spec", default=os.environ.get("OPENAPI_SPEC", default_spec))
    args = parser.parse_args(argv)
    with open(args.spec, encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    registry = Registry().with_resource(SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT202012))
    for line in sys.stdin:
        if not line.strip():
            continue
        case = json.loads(line)
        method = case["method"].lower()
        try:
            pointer = request_schema_pointer(spec, method, find_path(spec, case["path"]))
        except UsageError as error:
            print(f"validate_request.py: {error}", file=sys.stderr)
            return 2
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": f"{SPEC_URI}#{pointer}"}
        validator = Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())
        errors = sorted(validator.iter_errors(case["body"]), key=lambda e: (list(e.absolute_path), e.message))
        if errors:
            print(f"invalid: at {location(errors[0].absolute_path)}: {errors[0].message[:200]}")
        else:
            print("valid")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
