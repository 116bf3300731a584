"""schemathesis against every API of a private cloud, through the OpenAPI documents the
api serves (generated from its routes and request schemas): no answer may be a 5xx, and
every 4xx body must be in that API's error format.

    python -m tests.functional.fuzz [--max-examples 25] [--api compute ...]

starts the cloud of tests/functional/fixtures/private_cloud.py (api, conductor, scheduler,
fake-driver compute agent; a private vhost and state dir), runs ``schemathesis run`` on
each API as admin and prints each run's summary; exits non-zero when any failed.
``tox -e fuzz`` runs it long; the test suite runs a bounded one.
"""
import argparse
import os
import shutil
import subprocess
import sys

from tests import backends
from tests.functional.fixtures import private_cloud

DOCUMENTS = {"identity": "/identity/v3/openapi.json",
             "compute": "/compute/v2.1/openapi.json",
             "network": "/network/v2.0/openapi.json",
             "image": "/image/v2/openapi.json",
             "dns": "/dns/v2/openapi.json"}
CHECKS = "not_a_server_error,response_schema_conformance"


def schemathesis() -> str:
    found = shutil.which("schemathesis", path=os.path.dirname(sys.executable))
    if found is None:
        backends.backend_missing("schemathesis is not installed (pip install schemathesis)")
    return found


def fuzz(cloud: private_cloud.Cloud, api: str, max_examples: int,
         seed: int | None = None) -> subprocess.CompletedProcess:
    """One ``schemathesis run`` of ``api``; its output is the report."""
    argv = [schemathesis(), "--no-color", "run", cloud.url + DOCUMENTS[api], "--checks", CHECKS,
            "--header", f"X-Auth-Token: {cloud.admin_token}",
            "--max-examples", str(max_examples), "--workers", "2",
            "--phases", "examples,coverage,fuzzing"]
    if seed is not None:
        argv += ["--seed", str(seed)]
    return subprocess.run(argv, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=3600, cwd=cloud.deployment.state_path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--api", nargs="*", choices=sorted(DOCUMENTS))
    args = parser.parse_args()
    cloud = private_cloud.Cloud().start()
    failed = []
    try:
        for api in args.api or DOCUMENTS:
            result = fuzz(cloud, api, args.max_examples)
            print(f"=== {api}: exit {result.returncode}\n{result.stdout[-12000:]}", flush=True)
            if result.returncode:
                failed.append(api)
    finally:
        cloud.stop()
    print("fuzz: " + (f"FAILED {', '.join(failed)}" if failed else "every API passed"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
