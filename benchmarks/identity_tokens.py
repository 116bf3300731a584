"""Token issue latency and validation throughput, beside this run's own baselines.

Prints, for the built-in identity with the configured bcrypt cost (default 12):
  - baseline: one bcrypt check on its own; one bare falcon request (no auth, no DB)
  - token issue p50 (POST /v3/auth/tokens, in-process WSGI) against "bcrypt + 10 ms"
  - validations/s in-process: the validator alone, and a WSGI request that needs a
    token (GET /identity/v3/auth/catalog: auth middleware + cached catalog)
  - the same request over HTTP against a real strato-api with one worker
Goals: issue p50 <= bcrypt + 10 ms; >= 2000 validations/s per worker.

Usage: python benchmarks/identity_tokens.py [--rounds 12] [--seconds 3]
"""
import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import bcrypt
import falcon
import falcon.testing

ADMIN_PASSWORD = "bench-secret"


def _wsgi_call(app: falcon.App, environ_kwargs: dict) -> int:
    status = []
    environ = falcon.testing.create_environ(**environ_kwargs)
    body = app(environ, lambda s, _h: status.append(s))
    b"".join(body)
    return int(status[0].split()[0])


def _rate(call, seconds: float) -> float:
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        call()
        count += 1
    return count / (time.perf_counter() - started)


def _setup(state: str, rounds: int, port: int) -> str:
    conf = os.path.join(state, "strato.conf")
    with open(conf, "w") as f:
        f.write(f"[DEFAULT]\nstate_path = {state}\ntransport_url = fake://\nhost = bench\n"
                f"[api]\nbind_port = {port}\nworkers = 1\nworker_threads = 1\n"
                f"public_url = http://127.0.0.1:{port}\n"
                f"[identity]\nbcrypt_rounds = {rounds}\n")
    manage = [sys.executable, "-c", "from services.manage import main; main()",
              "--config-file", conf]
    subprocess.run(manage + ["db", "sync"], check=True, capture_output=True)
    subprocess.run(manage + ["bootstrap", "--admin-password", ADMIN_PASSWORD], check=True,
                   capture_output=True)
    return conf


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _over_http(conf: str, port: int, token: str, seconds: float) -> float:
    api = subprocess.Popen([sys.executable, "-c", "from services.api.cmd import main; main()",
                            "--config-file", conf], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/healthcheck")
                conn.getresponse().read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        headers = {"X-Auth-Token": token}

        def call() -> None:
            conn.request("GET", "/identity/v3/auth/catalog", headers=headers)
            resp = conn.getresponse()
            resp.read()
            assert resp.status == 200, resp.status

        call()
        return _rate(call, seconds)
    finally:
        api.terminate()
        api.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--issues", type=int, default=15)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="strato-bench-") as state:
        port = _free_port()
        conf = _setup(state, args.rounds, port)
        from common import config

        config.parse_args(["--config-file", conf], default_config_files=[])
        from services.api import app as api_app
        from services.api.auth import validator

        app = api_app.create_app()

        hashed = bcrypt.hashpw(ADMIN_PASSWORD.encode(), bcrypt.gensalt(args.rounds))
        checks = []
        for _ in range(5):
            started = time.perf_counter()
            bcrypt.checkpw(ADMIN_PASSWORD.encode(), hashed)
            checks.append(time.perf_counter() - started)
        bcrypt_ms = statistics.median(checks) * 1000

        bare = falcon.App()
        bare.add_route("/ping", type("Ping", (), {"on_get": lambda s, q, r: None})())
        bare_rate = _rate(lambda: _wsgi_call(bare, {"path": "/ping"}), args.seconds)

        body = json.dumps({"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "name": "admin", "domain": {"id": "default"}, "password": ADMIN_PASSWORD}}},
            "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}})
        issues, token = [], None
        for _ in range(args.issues):
            holder = {}
            environ = falcon.testing.create_environ(
                method="POST", path="/identity/v3/auth/tokens", body=body,
                headers={"Content-Type": "application/json"})
            started = time.perf_counter()
            b"".join(app(environ, lambda s, h, holder=holder: holder.update(h=dict(h),
                                                                            s=s)))
            issues.append(time.perf_counter() - started)
            token = holder["h"]["x-subject-token"]
        issue_ms = statistics.median(issues) * 1000

        local = validator.get()
        validator_rate = _rate(lambda: local.context(token, "req-bench"), args.seconds)
        auth_env = {"path": "/identity/v3/auth/catalog", "headers": {"X-Auth-Token": token}}
        assert _wsgi_call(app, auth_env) == 200
        wsgi_rate = _rate(lambda: _wsgi_call(app, auth_env), args.seconds)
        http_rate = _over_http(conf, port, token, args.seconds)

    print(f"bcrypt check (cost {args.rounds}), baseline   {bcrypt_ms:8.1f} ms")
    print(f"token issue p50 (in-process)            {issue_ms:8.1f} ms   goal <= "
          f"{bcrypt_ms + 10:.1f} ms: {'ok' if issue_ms <= bcrypt_ms + 10 else 'MISSED'}")
    print(f"bare falcon request, baseline           {bare_rate:8.0f} req/s")
    print(f"validations/s, validator alone          {validator_rate:8.0f} /s")
    print(f"validations/s, WSGI auth/catalog        {wsgi_rate:8.0f} /s   goal >= 2000: "
          f"{'ok' if wsgi_rate >= 2000 else 'MISSED'} ({wsgi_rate / bare_rate:.2f} of bare)")
    print(f"validations/s, HTTP, 1 worker 1 thread  {http_rate:8.0f} /s   goal >= 2000: "
          f"{'ok' if http_rate >= 2000 else 'MISSED'}")


if __name__ == "__main__":
    main()
