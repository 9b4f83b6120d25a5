#!/usr/bin/env python3
"""A failover manager's REST API that Switchyard did not write, on the standard library only, answering as Patroni's
`POST /failover` does: a JSON body naming the `leader` and the `candidate`; with the candidate this manager knows and
the right basic-auth header it runs the promotion command it was given and answers 200 `Successfully failed over to
"NAME"`; a wrong candidate answers 412, a missing or wrong Authorization 401. Every request is logged on stderr.

    failover_api.py --port-file FILE --candidate pg-b --auth 'user:secret' -- COMMAND ARGS...

It listens on 127.0.0.1 on a free port, written to FILE once it listens.
"""
import argparse
import base64
import json
import os
import subprocess
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("--port-file", required=True)
parser.add_argument("--candidate", required=True)
parser.add_argument("--auth", required=True)
parser.add_argument("command", nargs=argparse.REMAINDER)
args = parser.parse_args()
command = args.command[1:] if args.command[:1] == ["--"] else args.command
expected = "Basic " + base64.b64encode(args.auth.encode()).decode()


class Handler(BaseHTTPRequestHandler):
    def answer(self, status, text):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        sys.stderr.write(f"{self.command} {self.path} {self.headers.get('Content-Type')} {raw.decode(errors='replace')}\n")
        if self.path != "/failover":
            return self.answer(404, "not found")
        if self.headers.get("Authorization") != expected:
            return self.answer(401, "no or wrong authorization")
        try:
            request = json.loads(raw)
        except ValueError:
            return self.answer(400, "the body is not JSON")
        if request.get("candidate") != args.candidate:
            return self.answer(412, f"candidate name does not match with the sync standby: {request.get('candidate')}")
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            return self.answer(503, f"failover failed: {done.stderr.strip()}")
        self.answer(200, f'Successfully failed over to "{args.candidate}"')

    def log_message(self, *_):
        pass


server = HTTPServer(("127.0.0.1", 0), Handler)
with open(args.port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(args.port_file + ".tmp", args.port_file)
server.serve_forever()
