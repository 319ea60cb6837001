#!/usr/bin/env python3
"""Deploy every preset's Terraform to moto, then destroy it (issue 12, point 8).

    run.py HIPAA_SYNTH [--preset NAME]... [--skip-list FILE]

Per preset, side by side (most of a run is the provider polling moto, not CPU), starts
`python3 -m moto.server` of its own on a free loopback port, synthesizes `--target tf -o DIR`,
then in a copy of each stack directory:

  * leaves out the resources of the types in moto-skip.txt (see that file) and, in every other
    block, the attributes, list items and depends_on entries that refer to them (a stage's
    client_certificate_id, a replication group's user_group_ids): the dependant itself still
    applies; an output that refers to a left-out resource is dropped;
  * writes override files (the generated main.tf.json is not edited): a local backend instead of
    the S3 one, the aws provider pointed at moto for every service the config uses, and, for the
    test's destroy only, prevent_destroy and deletion_protection off;
  * runs terraform init (offline provider mirror), apply, destroy, checking that every kept
    resource was added and then destroyed;
  * probes the skip list: creates and destroys the left-out resources alone (-target) on a fresh
    state, bounded in time; an entry whose resources now do both fails the test (the list stays
    honest);

Moto is stopped on every exit path. Exits 0 when everything applied and was destroyed, 1 on any
failure, 77 (CTest's skip) when moto or terraform is missing, except under CI=true, where a missing
tool is a failure.
"""

import argparse
import concurrent.futures
import copy
import ctypes
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
MIRROR = Path(os.environ.get("TF_PLUGIN_MIRROR", "/opt/tf-plugins"))
PRESETS = ["hardened", "processing", "records"]
APPLY_TIMEOUT = 360  # seconds per terraform apply/destroy; a hang is a failure, not a stall
PROBE_TIMEOUT = 120  # seconds per skip-list probe step; moto's gaps hang or fail within it
SKIP = 77

# The provider's endpoint key per resource/data type prefix (longest prefix wins). A type with no
# entry is an error: a new service must be pointed at moto, never at AWS.
SERVICES = {
    "aws_api_gateway_": "apigateway",
    "aws_apigatewayv2_": "apigatewayv2",
    "aws_availability_zones": "ec2",
    "aws_backup_": "backup",
    "aws_caller_identity": "sts",
    "aws_cloudtrail": "cloudtrail",
    "aws_cloudwatch_log_": "logs",
    "aws_cloudwatch_metric_alarm": "cloudwatch",
    "aws_cognito_": "cognitoidp",
    "aws_db_": "rds",
    "aws_default_security_group": "ec2",
    "aws_dynamodb_": "dynamodb",
    "aws_eip": "ec2",
    "aws_elasticache_": "elasticache",
    "aws_flow_log": "ec2",
    "aws_iam_policy_document": None,  # evaluated by the provider itself
    "aws_iam_": "iam",
    "aws_internet_gateway": "ec2",
    "aws_kms_": "kms",
    "aws_lambda_": "lambda",
    "aws_nat_gateway": "ec2",
    "aws_partition": None,
    "aws_rds_": "rds",
    "aws_region": None,
    "aws_route": "ec2",
    "aws_s3_": "s3",
    "aws_secretsmanager_": "secretsmanager",
    "aws_security_group": "ec2",
    "aws_sns_": "sns",
    "aws_sqs_": "sqs",
    "aws_subnet": "ec2",
    "aws_vpc": "ec2",
    "aws_wafv2_": "wafv2",
}


class Failure(Exception):
    pass


def log(message):
    print(message, flush=True)


class Report(list):
    """One preset's lines, printed together when it is done (the presets run side by side)."""

    def __call__(self, message):
        self.append(message)


def service_of(resource_type):
    matches = [p for p in SERVICES if resource_type.startswith(p)]
    if not matches:
        raise Failure(f"no moto endpoint known for {resource_type}: add its service to SERVICES in {__file__}")
    return SERVICES[max(matches, key=len)]


def read_skip_list(path):
    """{entry: reason} from moto-skip.txt (`TYPE reason` or `TYPE.ATTRIBUTE reason` per line, # comments)."""
    skips = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        entry, _, reason = line.partition(" ")
        if not re.fullmatch(r"aws_[a-z0-9_]+(\.[a-z0-9_]+)?", entry) or not reason.strip():
            raise Failure(f"{path}:{number}: expected 'aws_TYPE[.ATTRIBUTE] reason', got '{line}'")
        if entry in skips:
            raise Failure(f"{path}:{number}: {entry} is listed twice")
        skips[entry] = reason.strip()
    return skips


# ------------------------------------------------------------------------------ config filtering


def refers_to(value, addresses):
    """Whether a JSON value mentions one of the resource addresses (TYPE.NAME)."""
    if isinstance(value, str):
        return any(re.search(rf"(?<![\w.]){re.escape(a)}\b", value) for a in addresses)
    if isinstance(value, list):
        return any(refers_to(v, addresses) for v in value)
    if isinstance(value, dict):
        return any(refers_to(v, addresses) for v in value.values())
    return False


def without_references(value, addresses, path, removed):
    """`value` with what refers to `addresses` taken out, each removal's path appended to `removed`;
    None means 'remove me'. A string goes alone (an environment variable, a list item); an object
    whose list or object member was emptied that way goes whole (a policy statement left without
    resources must not become a statement about every resource)."""
    if isinstance(value, str):
        if refers_to(value, addresses):
            removed.append(path)
            return None
        return value
    if isinstance(value, list):
        kept = [without_references(v, addresses, f"{path}[{i}]", removed) for i, v in enumerate(value)]
        kept = [v for v in kept if v is not None]
        return kept if kept or not value else None
    if isinstance(value, dict):
        kept = {}
        for k, v in value.items():
            stripped = without_references(v, addresses, f"{path}.{k}", removed)
            if stripped is None and isinstance(v, (list, dict)):
                removed.append(path)
                return None
            if stripped is not None:
                kept[k] = stripped
        return kept
    return value


def split_config(config, skips):
    """(kept config, {entry: [resource names]} left out, [references removed]). A TYPE entry leaves out
    the type's resources, a TYPE.ATTRIBUTE entry that attribute of each of the type's resources."""
    resources = config.get("resource", {})
    left_out = {}
    for entry in skips:
        resource_type, _, attribute = entry.partition(".")
        names = sorted(n for n, body in resources.get(resource_type, {}).items() if not attribute or attribute in body)
        if names:
            left_out[entry] = names
    kept = copy.deepcopy(config)
    for entry, names in left_out.items():
        resource_type, _, attribute = entry.partition(".")
        if not attribute:
            del kept["resource"][resource_type]
        for name in names if attribute else []:
            del kept["resource"][resource_type][name][attribute]
    addresses = [f"{e}.{n}" for e, names in left_out.items() if "." not in e for n in names]
    removed = []
    for section in ("resource", "data"):
        for t, blocks in kept.get(section, {}).items():
            for name, body in blocks.items():
                where = f"{'' if section == 'resource' else 'data.'}{t}.{name}"
                for key in list(body):
                    stripped = without_references(body[key], addresses, f"{where}.{key}", removed)
                    if stripped is None:
                        del body[key]
                    else:
                        body[key] = stripped
    for name in [n for n, o in kept.get("output", {}).items() if refers_to(o, addresses)]:
        removed.append(f"output.{name}")
        del kept["output"][name]
    return kept, left_out, removed


def overrides(config, port):
    """The override file: local backend, provider at moto, destroy safeguards off for the test."""
    types = list(config.get("resource", {})) + list(config.get("data", {}))
    services = sorted({s for s in map(service_of, types) if s} | {"sts"})
    endpoint = f"http://127.0.0.1:{port}"
    provider = {
        "region": config.get("provider", {}).get("aws", {}).get("region", "us-east-1"),
        "access_key": "moto",
        "secret_key": "moto",
        "skip_credentials_validation": True,
        "skip_requesting_account_id": True,
        "skip_metadata_api_check": True,
        "s3_use_path_style": True,
        # moto's threaded server now and then drops a kept-alive connection under load ("use of
        # closed network connection" on a read): retries absorb that; one failed a CI run.
        "max_retries": 5,
        "endpoints": [{s: endpoint for s in services}],
    }
    safeguards = {}
    for t, blocks in config.get("resource", {}).items():
        for name, body in blocks.items():
            off = {}
            if body.get("lifecycle", {}).get("prevent_destroy"):
                off["lifecycle"] = {"prevent_destroy": False}
            if body.get("deletion_protection") is True:
                off["deletion_protection"] = False
            if off:
                safeguards.setdefault(t, {})[name] = off
    result = {"terraform": {"backend": {"local": {"path": "terraform.tfstate"}}}, "provider": {"aws": provider}}
    if safeguards:
        result["resource"] = safeguards
    return result


# ------------------------------------------------------------------------------ processes


def die_with_parent():
    """Child setup: the kernel sends SIGTERM when this script dies, even by SIGKILL (a CTest timeout),
    so moto and terraform never outlive the test."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_moto(work):
    port = free_port()
    env = dict(os.environ, MOTO_IAM_LOAD_MANAGED_POLICIES="true")  # role attachments of AWS managed policies
    out = open(work / "moto.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True,
                            preexec_fn=die_with_parent)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise Failure(f"moto exited with {proc.returncode}:\n{(work / 'moto.log').read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=2):
                return proc, port
        except OSError:
            time.sleep(0.3)
    stop(proc)
    raise Failure("moto did not answer within 60 s")


def stop(proc):
    """Stop a process group this script started: SIGTERM, then SIGKILL."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def terraform(args, cwd, timeout, log_name):
    """Run terraform; (finished, exit code, output). On timeout, interrupt it and say so."""
    with open(cwd / log_name, "wb") as out:
        proc = subprocess.Popen(["terraform", *args, "-no-color"], cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True, preexec_fn=die_with_parent)
        try:
            proc.wait(timeout=timeout)
            finished = True
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGINT)  # let terraform save state
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                stop(proc)
            finished = False
    return finished, proc.returncode, (cwd / log_name).read_text(errors="replace")


def errors_of(output):
    lines = [l for l in output.splitlines() if l.startswith("Error:") or l.startswith("│ Error:")]
    return "\n".join(lines[:20]) or output[-3000:]


# ------------------------------------------------------------------------------ one stack


def deploy_stack(stack_dir, work, port, skips, preset, log):
    """Apply and destroy one stack directory; returns a summary dict."""
    config = json.loads((stack_dir / "main.tf.json").read_text())
    kept, left_out, removed = split_config(config, skips)
    count = sum(len(blocks) for blocks in kept.get("resource", {}).values())
    run_dir = work / "apply"
    shutil.copytree(stack_dir, run_dir)
    (run_dir / "main.tf.json").write_text(json.dumps(kept, indent=1))
    (run_dir / "moto_override.tf.json").write_text(json.dumps(overrides(kept, port), indent=1))
    for entry, names in left_out.items():
        log(f"  skip {entry} ({', '.join(names)}): {skips[entry]}")
    for r in removed:
        log(f"  reference to a skipped resource removed: {r}")

    ok, rc, out = terraform(["init", "-input=false"], run_dir, 120, "init.log")
    if not ok or rc != 0:
        raise Failure(f"{preset}: terraform init failed:\n{out[-3000:]}")
    started = time.monotonic()
    ok, rc, out = terraform(["apply", "-auto-approve", "-input=false", "-parallelism=20"], run_dir, APPLY_TIMEOUT,
                            "apply.log")
    applied = re.search(r"Apply complete! Resources: (\d+) added", out)
    if not ok or rc != 0 or not applied or int(applied.group(1)) != count:
        pending = sorted(set(re.findall(r"^(\S+): Still creating", out, re.M)))
        raise Failure(f"{preset}: terraform apply {'timed out' if not ok else f'exited {rc}'} "
                      f"({applied.group(0) if applied else 'no completion'}, {count} expected)"
                      f"{'; still creating: ' + ', '.join(pending) if pending else ''}\n{errors_of(out)}")
    apply_seconds = time.monotonic() - started
    started = time.monotonic()
    # No refresh: apply just read every resource back; destroy goes straight to the deletes.
    ok, rc, out = terraform(["destroy", "-auto-approve", "-input=false", "-refresh=false", "-parallelism=20"], run_dir,
                            APPLY_TIMEOUT, "destroy.log")
    destroyed = re.search(r"Destroy complete! Resources: (\d+) destroyed", out)
    if not ok or rc != 0 or not destroyed or int(destroyed.group(1)) != count:
        raise Failure(f"{preset}: terraform destroy {'timed out' if not ok else f'exited {rc}'} "
                      f"({destroyed.group(0) if destroyed else 'no completion'}, {count} expected)\n{errors_of(out)}")
    destroy_seconds = time.monotonic() - started
    # After the destroy: a probe on the applied resources would change them (an attribute entry is an
    # update in place) and could break the destroy. What it creates stays until this moto stops.
    now_apply = probe_skips(run_dir, work, port, config, left_out) if left_out else []
    summary = {"applied": count, "destroyed": int(destroyed.group(1)), "skipped": left_out,
               "apply_s": apply_seconds, "destroy_s": destroy_seconds, "now_apply": now_apply}
    return summary


def probe_skips(run_dir, work, port, config, left_out):
    """The listed entries that now work: on a fresh state, with the whole configuration, the
    left-out resources are targeted (terraform creates what they depend on too), created and
    destroyed again, each step for at most PROBE_TIMEOUT seconds. An entry counts as working when
    each of its resources was both created and destroyed, so a gap on the delete side only
    (aws_elasticache_subnet_group) keeps its entry; a probe that runs out of time keeps it too."""
    probe_dir = work / "probe"
    shutil.copytree(run_dir, probe_dir, ignore=shutil.ignore_patterns(".terraform", "*.log", "*.tfstate*", "*.info"))
    (probe_dir / ".terraform").symlink_to(run_dir / ".terraform")  # the initialized providers, shared
    (probe_dir / "main.tf.json").write_text(json.dumps(config, indent=1))
    (probe_dir / "moto_override.tf.json").write_text(json.dumps(overrides(config, port), indent=1))
    addresses = {e: [f"{e.partition('.')[0]}.{n}" for n in names] for e, names in left_out.items()}
    targets = [f"-target={a}" for group in addresses.values() for a in group]
    common = ["-auto-approve", "-input=false", "-parallelism=20", *targets]
    _, _, applied = terraform(["apply", *common], probe_dir, PROBE_TIMEOUT, "probe-apply.log")
    _, _, destroyed = terraform(["destroy", "-lock=false", "-refresh=false", *common], probe_dir, PROBE_TIMEOUT,
                                "probe-destroy.log")
    created = set(re.findall(r"^(aws_\w+\.\w+): Creation complete", applied, re.M))
    deleted = set(re.findall(r"^(aws_\w+\.\w+): Destruction complete", destroyed, re.M))
    return sorted(e for e, group in addresses.items() if all(a in created and a in deleted for a in group))


# ------------------------------------------------------------------------------ main


def tools_missing():
    missing = []
    try:
        import moto  # noqa: F401  (only whether it is there)
    except ImportError:
        missing.append("python3 module moto (pip package moto[server]; the machine image has 5.2.1)")
    if not shutil.which("terraform"):
        missing.append("terraform (>= 1.11)")
    if not (MIRROR / "registry.terraform.io/hashicorp/aws").is_dir():
        missing.append(f"the offline hashicorp/aws provider mirror under {MIRROR}")
    return missing


def write_cli_config(work):
    """Providers come only from the filesystem mirror (as tests/conformance/lib/terraform.sh)."""
    rc = work / "terraform-mirror.tfrc"
    rc.write_text(f'provider_installation {{\n  filesystem_mirror {{\n    path    = "{MIRROR}"\n'
                  '    include = ["registry.terraform.io/*/*"]\n  }\n  direct {\n'
                  '    exclude = ["registry.terraform.io/*/*"]\n  }\n}\n')
    os.environ.update(TF_CLI_CONFIG_FILE=str(rc), TF_IN_AUTOMATION="1", TF_INPUT="0", CHECKPOINT_DISABLE="1")


def synthesize(binary, preset, out_dir):
    proc = subprocess.run([binary, "--target", "tf", "--preset", preset, "--allow-noncompliant", "-o", str(out_dir)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise Failure(f"{preset}: hipaa-synth exited {proc.returncode}:\n{proc.stderr}")
    return sorted(p.parent for p in out_dir.glob("*/main.tf.json"))


def deploy_preset(args, preset, work, skips, started_moto):
    """(report lines, skip-list types it used, failures) for one preset, on a moto of its own: the
    presets share names, and in one shared moto the records DB instance vanished mid-create while
    the other presets ran (moto logged no error; cause not found)."""
    report, used, failures = Report(), set(), []
    moto = None
    try:
        (work / preset).mkdir(parents=True)
        moto, port = start_moto(work / preset)
        started_moto.append(moto)
        report(f"  moto {__import__('moto').__version__} on 127.0.0.1:{port}")
        for stack_dir in synthesize(args.hipaa_synth, preset, work / "synth" / preset):
            s = deploy_stack(stack_dir, work / preset / stack_dir.name, port, skips, preset, report)
            used |= {e.partition(".")[0] for e in s["skipped"]}
            skipped = ", ".join(f"{e} x{len(n)}" for e, n in s["skipped"].items()) or "none"
            report(f"  {stack_dir.name}: {s['applied']} applied in {s['apply_s']:.0f} s, "
                   f"{s['destroyed']} destroyed in {s['destroy_s']:.0f} s; skipped: {skipped}")
            for e in s["now_apply"]:
                failures.append(f"{e} is in {args.skip_list.name} but its resources now create and destroy on "
                                "moto: remove the entry")
    except Failure as e:
        failures.append(str(e))
    finally:
        if moto is not None:
            stop(moto)
    return report, used, failures


def main():
    started_moto = []

    def on_sigterm(*_):
        for proc in started_moto:  # first, so that the terraform runs fail at once
            stop(proc)
        sys.exit(143)  # and the cleanup below runs

    signal.signal(signal.SIGTERM, on_sigterm)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("hipaa_synth")
    parser.add_argument("--preset", action="append", choices=PRESETS)
    parser.add_argument("--skip-list", type=Path, default=HERE / "moto-skip.txt")
    args = parser.parse_args()

    missing = tools_missing()
    if missing:
        in_ci = os.environ.get("CI", "").lower() == "true"
        print(f"deploy: {'FAILED' if in_ci else 'SKIPPED'}: missing " + "; ".join(missing) +
              " (install with scripts/setup.sh --with-test-tools; see docs/testing.md)", file=sys.stderr)
        return 1 if in_ci else SKIP

    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="hipaa-deploy-"))
    failures = []
    try:
        skips = read_skip_list(args.skip_list)
        write_cli_config(work)
        used_types = set()
        with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
            runs = [(p, pool.submit(deploy_preset, args, p, work, skips, started_moto)) for p in args.preset or PRESETS]
            for preset, run in runs:
                report, used, problems = run.result()
                log(f"== {preset}")
                for line in report:
                    log(line)
                used_types |= used
                failures += problems
        if not args.preset and not failures:
            for entry in sorted(e for e in skips if e.partition(".")[0] not in used_types):
                log(f"deploy: warning: {entry} is in {args.skip_list.name} but no preset uses it")
    except Failure as e:
        failures.append(str(e))
    finally:
        for proc in started_moto:
            stop(proc)
        if failures and os.environ.get("DEPLOY_KEEP"):
            log(f"deploy: logs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    log(f"deploy: {time.monotonic() - started:.0f} s")
    for f in failures:
        print(f"deploy: FAILED: {f}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
