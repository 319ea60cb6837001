"""Lambda code from files through the deploy tools (issue 13, point 6).

Synthesizes tests/lambda-code/app.cpp's stack (a function packaged from a directory) for both
targets, twice, and checks:
  * both runs wrote the same bytes; the template's Code is the zip's path beside it, and the zip is
    the one Terraform's filename names;
  * cfn-lint finds no error in the template as written (only W3002: 'package' form);
  * `aws cloudformation package` (awscli, against a moto S3 on a loopback port) uploads that zip as
    it is and rewrites Code to S3Bucket/S3Key, and cfn-lint finds nothing in the packaged template.
Exit 77 (skipped) when cfn-lint, aws or moto is missing, except under CI=true.

    python3 check.py APP_BINARY
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path


def fail(message):
    print("FAIL " + message)
    sys.exit(1)


def missing(tool):
    print(f"SKIP: {tool} is not installed")
    sys.exit(1 if os.environ.get("CI") == "true" else 77)


def synth(app, handler, out, *args):
    result = subprocess.run([app, str(handler), *args, "-o", str(out)], capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"synthesis {' '.join(args)} exited {result.returncode}:\n{result.stderr}")


def files(root):
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def start_moto(work):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(work / "moto.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            fail(f"moto exited with {proc.returncode}:\n{(work / 'moto.log').read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=2):
                return proc, port
        except OSError:
            time.sleep(0.3)
    proc.kill()
    fail("moto did not answer within 60 s")


def main():
    app = sys.argv[1]
    if shutil.which("cfn-lint") is None:
        missing("cfn-lint")
    if shutil.which("aws") is None:
        missing("aws (awscli)")
    if subprocess.run([sys.executable, "-c", "import moto.server"], capture_output=True).returncode != 0:
        missing("moto")
    work = Path(tempfile.mkdtemp(prefix="hipaa-synth-lambda-code-"))
    moto = None
    try:
        handler = work / "handler"
        (handler / "lib").mkdir(parents=True)
        (handler / "bootstrap").write_text("#!/bin/sh\nexec ./lib/serve\n")
        (handler / "bootstrap").chmod(0o755)
        (handler / "lib" / "serve").write_text("echo ok\n")
        for target in ("cfn", "tf"):
            synth(app, handler, work / target, "--target", target)
            synth(app, handler, work / (target + "-again"), "--target", target)
            if files(work / target) != files(work / (target + "-again")):
                fail(f"two {target} runs wrote different files")

        template = (work / "cfn" / "Api.template.yaml").read_text()
        match = re.search(r"^      Code: (Api/lambda/[0-9a-f]{16}\.zip)$", template, re.M)
        if not match:
            fail("the template's Code is not the zip's path:\n" + template)
        zip_path = match.group(1)
        zip_bytes = (work / "cfn" / zip_path).read_bytes()
        if (work / "tf" / zip_path).read_bytes() != zip_bytes:
            fail("Terraform's zip differs from CloudFormation's")
        if f'"${{path.module}}/{zip_path[len("Api/"):]}"' not in (work / "tf" / "Api" / "main.tf.json").read_text():
            fail("main.tf.json does not name the zip")

        lint = subprocess.run(["cfn-lint", str(work / "cfn" / "Api.template.yaml")], capture_output=True, text=True)
        if lint.returncode & 2 or "W3002" not in lint.stdout:
            fail(f"cfn-lint on the template as written (exit {lint.returncode}):\n{lint.stdout}{lint.stderr}")
        print(f"ok   cfn-lint before package: no errors, W3002 ('package' form) as expected")

        moto, port = start_moto(work)
        # `package` (awscli 1) ignores --endpoint-url for its S3 client; AWS_ENDPOINT_URL reaches every client.
        env = dict(os.environ, AWS_ACCESS_KEY_ID="moto", AWS_SECRET_ACCESS_KEY="moto", AWS_DEFAULT_REGION="us-east-1",
                   AWS_ENDPOINT_URL=f"http://127.0.0.1:{port}")
        env.pop("AWS_PROFILE", None)

        def aws(*args):
            result = subprocess.run(["aws", *args], capture_output=True, text=True, env=env)
            if result.returncode != 0:
                fail(f"aws {' '.join(args)} exited {result.returncode}:\n{result.stdout}{result.stderr}")
            return result.stdout

        aws("s3api", "create-bucket", "--bucket", "hipaa-synth-artifacts")
        packaged = work / "packaged.yaml"
        aws("cloudformation", "package", "--template-file", str(work / "cfn" / "Api.template.yaml"),
            "--s3-bucket", "hipaa-synth-artifacts", "--output-template-file", str(packaged))
        text = packaged.read_text()
        code = re.search(r"^      Code:\n        S3Bucket: hipaa-synth-artifacts\n        S3Key: (\S+)$", text, re.M)
        if not code:
            fail("package did not rewrite Code to S3Bucket/S3Key:\n" + text)
        aws("s3", "cp", f"s3://hipaa-synth-artifacts/{code.group(1)}", str(work / "uploaded.zip"))
        if (work / "uploaded.zip").read_bytes() != zip_bytes:
            fail("package uploaded other bytes than the synthesized zip")
        print(f"ok   aws cloudformation package: uploaded {zip_path} as it is, Code is S3Bucket/S3Key")

        lint = subprocess.run(["cfn-lint", str(packaged)], capture_output=True, text=True)
        if lint.returncode != 0:
            fail(f"cfn-lint on the packaged template (exit {lint.returncode}):\n{lint.stdout}{lint.stderr}")
        print("ok   cfn-lint after package: clean")
    finally:
        if moto is not None:
            moto.kill()
            moto.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
