#!/usr/bin/env python3
"""Generates data/registry.jsonl, stackcraft's knowledge of every
CloudFormation resource type, from the registry resource provider schemas
that cfn-lint ships (pinned below).

Why Python and cfn-lint's own code: the schemas ship inside the cfn-lint
package (data/schemas/providers/<region>.py maps a type to a schema file in
data/schemas/resources/, already patched by cfn-lint), and cfn-lint's
`Schema.get_atts` is the reference for which attributes `Fn::GetAtt` may read
(readOnlyProperties, nested ones such as `Endpoint.Address`, every property
for the types CloudFormation exposes that way, and its list of exceptions).
Reusing it keeps stackcraft and cfn-lint in agreement instead of
re-implementing that logic in Rust and drifting from it.

Usage (from the repository root, with the test venv made by scripts/test.sh):

    .venv/bin/python scripts/gen_registry.py            # writes data/registry.jsonl
    .venv/bin/python scripts/gen_registry.py --out FILE # writes FILE instead

Output: an index line, then one compact JSON object per type, sorted by type
name, so a change to one type changes its line (and the index's offsets).
The Rust side (src/registry/) reads the index at first use and parses a
type's line only when that type is asked for.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

PINNED_CFN_LINT = "1.51.0"
PRIMARY_REGION = "us-east-1"

# Limits copied as they are: JSON Schema keywords whose meaning is plain.
LIMITS = (
    "minLength",
    "maxLength",
    "pattern",
    "enum",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
    # cfn-lint's own keyword: the enum is compared without case.
    "enumCaseInsensitive",
)
COMBINATORS = ("oneOf", "anyOf", "allOf")


def shape(node: dict, schema: dict, depth: int = 0) -> dict:
    """The compact form of one JSON schema node.

    A `$ref` to `#/definitions/X` stays a reference (`ref`), so shared and
    recursive definitions are written once. `oneOf`/`anyOf`/`allOf` branches
    are merged: types and property names are unioned (a name valid in any
    branch is valid), but their limits and requirements are dropped, because
    which branch applies is not knowable without evaluating all of them and
    stackcraft must never report a value that one branch accepts.
    """
    out: dict = {}
    ref = node.get("$ref")
    if isinstance(ref, str):
        prefix = "#/definitions/"
        if ref.startswith(prefix) and "/" not in ref[len(prefix) :]:
            out["ref"] = ref[len(prefix) :]
        elif ref.startswith("#/") and depth < 8:
            # A pointer into the schema itself (rare): inline its target.
            target = schema
            for part in ref[2:].split("/"):
                target = target.get(part, {}) if isinstance(target, dict) else {}
            out.update(shape(target, schema, depth + 1))
    types = node.get("type")
    if isinstance(types, str):
        out["type"] = [types]
    elif isinstance(types, list):
        out["type"] = [t for t in types if isinstance(t, str)]
    for key in LIMITS:
        # A minimum of 0 length or items says nothing: left out to save space.
        if key in node and not (key in ("minLength", "minItems") and node[key] == 0):
            out[key] = node[key]
    if isinstance(node.get("items"), dict):
        out["items"] = shape(node["items"], schema, depth)
    object_part(node, schema, depth, out)
    for comb in COMBINATORS:
        if isinstance(node.get(comb), list):
            merge_branches(node[comb], schema, depth, out)
    return out


def object_part(node: dict, schema: dict, depth: int, out: dict) -> None:
    """Properties, required names, pattern properties and closedness."""
    props = node.get("properties")
    if isinstance(props, dict):
        out["properties"] = {
            name: shape(sub, schema, depth)
            for name, sub in sorted(props.items())
            if isinstance(sub, dict)
        }
    if isinstance(node.get("required"), list):
        out["required"] = sorted(n for n in node["required"] if isinstance(n, str))
    pattern_props = node.get("patternProperties")
    if isinstance(pattern_props, dict) and pattern_props:
        out["patternProperties"] = sorted(pattern_props)
    if node.get("additionalProperties") is False and (
        "properties" in out or "patternProperties" in out
    ):
        out["closed"] = True


def merge_branches(branches: list, schema: dict, depth: int, out: dict) -> None:
    """Unions the names and types of combinator branches into `out`."""
    parts = [shape(b, schema, depth) for b in branches if isinstance(b, dict)]
    # A branch that only references a definition: keep the references so
    # names and types can be looked up there.
    refs = sorted({p["ref"] for p in parts if "ref" in p})
    if refs and "ref" not in out:
        out["anyRef"] = refs
    types = set(out.get("type", []))
    for p in parts:
        types.update(p.get("type", []))
        for name, sub in p.get("properties", {}).items():
            out.setdefault("properties", {}).setdefault(name, strip_limits(sub))
        if "patternProperties" in p:
            out["patternProperties"] = sorted(
                set(out.get("patternProperties", [])) | set(p["patternProperties"])
            )
        if not p.get("closed") and ("properties" in p or "ref" in p):
            out.pop("closed", None)
            out["open"] = True
    if types and "type" in out:
        out["type"] = sorted(types)
    if "properties" in out:
        out["properties"] = dict(sorted(out["properties"].items()))


def strip_limits(sub: dict) -> dict:
    """A branch's property keeps its type and structure, not its limits."""
    return {k: v for k, v in sub.items() if k not in LIMITS and k != "required"}


def attribute_names(schema_obj) -> list[str]:
    """`Fn::GetAtt` names as cfn-lint derives them, as globs: `*` matches
    any text (cfn-lint's keys are regexes: `Outputs\\..*` for stack
    outputs, `.*` for custom resources, `List.*.Id` inside lists)."""
    names = set()
    for key in schema_obj.get_atts.keys():
        if key == ".*":
            names.add("*")
        elif key.endswith("\\..*"):
            names.add(key[: -len("\\..*")] + ".*")
        else:
            names.add(key)
    return sorted(names)


def pointer_to_name(pointer: str) -> str:
    """`/properties/A/B` -> `A.B`."""
    return ".".join(pointer.split("/")[2:])


def type_line(type_name: str, region: str, schema_obj) -> str:
    schema = schema_obj.schema
    root: dict = {}
    object_part(schema, schema, 0, root)
    for comb in COMBINATORS:
        if isinstance(schema.get(comb), list):
            merge_branches(schema[comb], schema, 0, root)
    entry = {
        "type": type_name,
        "attributes": attribute_names(schema_obj),
        "createOnly": sorted(
            pointer_to_name(p) for p in schema.get("createOnlyProperties", [])
        ),
        "root": root,
        "definitions": {
            name: shape(d, schema)
            for name, d in sorted(schema.get("definitions", {}).items())
            if isinstance(d, dict)
        },
    }
    if region != PRIMARY_REGION:
        entry["region"] = region
    return json.dumps(entry, separators=(",", ":"), ensure_ascii=False)


def all_types() -> list[tuple[str, str]]:
    """(type, region to read it from): every type of the primary region,
    then types only other regions have (e.g. AWS::DeviceFarm::Project in
    us-west-2), read from the first region, in cfn-lint's order, that has
    them, so a template for any region is judged by a schema of that type."""
    from cfnlint.helpers import REGIONS
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER as manager

    found = {t: PRIMARY_REGION for t in manager.get_resource_types(PRIMARY_REGION)}
    for region in REGIONS:
        for t in manager.get_resource_types(region):
            found.setdefault(t, region)
    return sorted(found.items())


def generate() -> str:
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER as manager

    lines = []
    for type_name, region in all_types():
        lines.append(type_line(type_name, region, manager.get_resource_schema(region, type_name)))
    # The first line indexes the others: [type, byte offset from the start
    # of line 2, byte length], so a reader finds a type without scanning
    # megabytes of text.
    index, offset = [], 0
    for type_name, line in zip((t for t, _ in all_types()), lines):
        size = len(line.encode("utf-8"))
        index.append([type_name, offset, size])
        offset += size + 1
    header = json.dumps({"index": index}, separators=(",", ":"), ensure_ascii=False)
    return header + "\n" + "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--out", default=os.path.join(root, "data", "registry.jsonl"))
    args = parser.parse_args()
    try:
        import cfnlint.version
    except ImportError:
        print("cfn-lint is not installed: run scripts/test.sh (it makes .venv)", file=sys.stderr)
        return 2
    if cfnlint.version.__version__ != PINNED_CFN_LINT:
        print(
            f"cfn-lint {cfnlint.version.__version__} found, the registry is pinned to "
            f"{PINNED_CFN_LINT}: install it (pip install cfn-lint=={PINNED_CFN_LINT}) "
            "or bump PINNED_CFN_LINT and regenerate",
            file=sys.stderr,
        )
        return 2
    text = generate()
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
