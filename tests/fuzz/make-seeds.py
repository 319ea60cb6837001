#!/usr/bin/env python3
"""Writes the generated part of the fuzz seed corpus (tests/fuzz/corpus/): trimmed golden
templates, the config test's full option set, and inputs at and just past the nesting limit.
Run from the repository root after the goldens change; the other seeds are written by hand."""
import json
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests/fuzz/corpus"
GOLDEN = ROOT / "tests/golden"
NESTING_LIMIT = 200  # kMaxNesting in src/support/input.hpp


def write(harness, name, text):
    path = CORPUS / harness / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def trimmed_yaml(text, keep):
    """The template's top-level sections, with only the first `keep` entries of each."""
    out, count = [], 0
    for line in text.splitlines(keepends=True):
        if re.match(r"^\S", line):
            count = 0
        elif re.match(r"^  \S", line):
            count += 1
        if count <= keep:
            out.append(line)
    return "".join(out)


def trimmed_json(value, keep, depth=0):
    """Each object at the first two levels cut to its first `keep` members."""
    if isinstance(value, dict):
        items = list(value.items())
        if depth < 2:
            items = items[:keep]
        return {k: trimmed_json(v, keep, depth + 1) for k, v in items}
    return value


def nested(depth, open_, close, leaf="1"):
    return open_ * depth + leaf + close * depth + "\n"


def main():
    for preset in ("hardened", "processing", "records"):
        yaml_text = (GOLDEN / preset / "cfn-yaml/HealthcareStack.template.yaml").read_text()
        write("diff_cloudformation_yaml", f"{preset}.yaml", trimmed_yaml(yaml_text, 6))
        cfn = json.loads((GOLDEN / preset / "cfn-json/HealthcareStack.template.json").read_text())
        write("diff_cloudformation_json", f"{preset}.json", json.dumps(trimmed_json(cfn, 6), indent=1) + "\n")
        tf = json.loads((GOLDEN / preset / "tf/HealthcareStack/main.tf.json").read_text())
        write("diff_terraform", f"{preset}.tf.json", json.dumps(trimmed_json(tf, 4), indent=1) + "\n")
    write("check", "processing.yaml",
          trimmed_yaml((GOLDEN / "processing/cfn-yaml/HealthcareStack.template.yaml").read_text(), 8))
    write("check", "processing.tf.json",
          json.dumps(trimmed_json(json.loads((GOLDEN / "processing/tf/HealthcareStack/main.tf.json").read_text()), 5),
                     indent=1) + "\n")
    write("check", "manifest.json", (GOLDEN / "processing/tf/manifest.json").read_text())

    tests = (ROOT / "tests/test_config.cpp").read_text()
    for name, ext in (("kFullYaml", "yaml"), ("kFullJson", "json")):
        body = re.search(name + r' = R"\((.*?)\)";', tests, re.S).group(1)
        write("config", f"full.{ext}", body)

    # At the limit (accepted) and one past it (refused), in each syntax the readers see.
    for harness in ("config", "diff_cloudformation_json", "diff_terraform", "check"):
        write(harness, "nested-json-limit.json", nested(NESTING_LIMIT - 1, "[", "]"))
        write(harness, "nested-json-over.json", nested(NESTING_LIMIT + 1, '{"a":', "}"))
    for harness in ("config", "diff_cloudformation_yaml"):
        write(harness, "nested-flow-over.yaml", "Resources: " + nested(NESTING_LIMIT + 1, "[", "]"))
        write(harness, "nested-block-over.yaml", "- " * (NESTING_LIMIT + 1) + "1\n")


if __name__ == "__main__":
    main()
