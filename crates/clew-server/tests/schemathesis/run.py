#!/usr/bin/env python3
"""The JSON API fuzzed from its own OpenAPI document with schemathesis, signed in as each role.

Builds a small demo project (synthetic data), serves it with the `clew` binary given, signs each demo account in
through the pages (its second factor computed here), changes its one-time password, makes it an API token, and
runs schemathesis against /api/v1/openapi.json as that account. The checks: no response is a server error (5xx),
and every response's status, content type, headers and body are what the document says. Any failure fails the
run. Python's standard library only; schemathesis comes from PyPI (see run.sh).

Usage: run.py CLEW_BINARY SCHEMATHESIS_BINARY [--examples N]
"""

import argparse
import base64
import hashlib
import hmac
import http.cookiejar
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

# Path parameters that name things the demo has, so that requests reach more than "not found" (the other
# parameters and the bodies are still generated). Each operation also runs with everything generated.
KNOWN = {
    "/api/v1/entities/{id}": ("id", "demo.company.0000"),
    "/api/v1/testimonies/{id}": ("id", "T-DEMO-000001"),
    "/api/v1/testimonies/{id}/facts": ("id", "T-DEMO-000001"),
    "/api/v1/estimates/{number}": ("number", "1"),
    "/match/{dataset}": ("dataset", "default"),
}

# A sanctions list for /match to screen against: the UN's consolidated list of 2024, kept in the repository for
# tests (real reference data).
UN_LIST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "clew-screen", "test_data",
                       "lists", "un_sc_consolidated_2024-09-26.xml")

CHECKS = ",".join([
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
])


def totp(secret: str, at: float) -> str:
    """RFC 6238: SHA-1, six digits, thirty seconds (what clew issues)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post_form(opener, base: str, path: str, fields: dict) -> int:
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(base + path, data=data, method="POST")
    # Forms must come from the application's own pages: a browser sends its Origin.
    request.add_header("Origin", base)
    try:
        with opener.open(request) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


def wait_for(base: str, server: subprocess.Popen) -> None:
    for _ in range(600):
        if server.poll() is not None:
            sys.exit(f"clew serve stopped with {server.returncode}")
        try:
            with urllib.request.urlopen(base + "/sign-in") as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    sys.exit("clew serve did not answer")


def ready_account(clew: str, project: str, base: str, account: dict) -> str:
    """Signs the demo account in, replaces its one-time password, and returns a new API token for it."""
    name = account["name"]
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    fields = {"name": name, "password": account["password"], "next": "/"}
    if account.get("second_factor"):
        fields["code"] = totp(account["second_factor"]["secret"], time.time())
    status = post_form(opener, base, "/sign-in", fields)
    if status != 303:
        sys.exit(f"{name}: signing in answered {status}")
    new = f"a long enough passphrase for {name} fuzzing"
    status = post_form(opener, base, "/account/password",
                       {"current": account["password"], "new": new, "repeat": new})
    if status != 303:
        sys.exit(f"{name}: changing the password answered {status}")
    made = subprocess.run([clew, "--project", project, "--json", "user", "token", name, "--label", "schemathesis"],
                          check=True, capture_output=True, text=True)
    return json.loads(made.stdout)["token"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("clew")
    parser.add_argument("schemathesis")
    parser.add_argument("--examples", type=int, default=20)
    args = parser.parse_args()
    clew = os.path.abspath(args.clew)
    with tempfile.TemporaryDirectory() as work:
        project = os.path.join(work, "demo")
        subprocess.run([clew, "demo", "--dir", project, "--testimonies", "40"], check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run([clew, "--project", project, "lists", "import", UN_LIST], check=True,
                       stdout=subprocess.DEVNULL)
        with open(os.path.join(project, "accounts-DEMO-ONLY.json")) as f:
            accounts = json.load(f)
        config = os.path.join(work, "schemathesis.toml")
        with open(config, "w") as f:
            for path, (name, value) in KNOWN.items():
                f.write(f'[[operations]]\ninclude-path = "{path}"\nparameters = {{ "{name}" = "{value}" }}\n\n')
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([clew, "serve", "--project", project, "--listen", f"127.0.0.1:{port}",
                                   "--insecure-cookies"], stderr=open(os.path.join(work, "serve.log"), "w"))
        failed = []
        try:
            wait_for(base, server)
            for account in accounts:
                token = ready_account(clew, project, base, account)
                print(f"== schemathesis as {account['name']} ({account['role']})", flush=True)
                run = subprocess.run([
                    args.schemathesis, "--config-file", config, "run", f"{base}/api/v1/openapi.json",
                    "--header", f"Authorization: Bearer {token}",
                    "--checks", CHECKS,
                    "--max-examples", str(args.examples),
                    "--seed", "2397",
                    # One worker: Hypothesis's inspection of its own strategies is not safe across threads.
                    "--workers", "1",
                    "--no-color",
                ])
                if run.returncode != 0:
                    failed.append(account["name"])
        finally:
            server.terminate()
            server.wait(timeout=30)
        with open(os.path.join(work, "serve.log")) as log:
            logged = log.read()
        if "internal" in logged:
            print(logged[-4000:])
        if failed:
            print(f"schemathesis found failures as: {', '.join(failed)}")
            return 1
    print("schemathesis: no failures as any role")
    return 0


if __name__ == "__main__":
    sys.exit(main())
