"""Users of the official OpenAI Python SDK while a release switches the fleet under them.

Run by Tests/SwitchyardRuntimeTests/Release/SDKTrafficReleaseTests.swift against the fleet's nginx listener.
For --seconds, --clients threads each alternate a streamed and a plain chat completion through the SDK, each
with a fresh connection now and then, and record every exception. Prints one JSON object at the end:
{"completions", "streams", "chunks", "exceptions": ["Type: message", ...]}. Bounded: it stops by itself.
"""

import argparse
import json
import threading
import time

from openai import OpenAI

parser = argparse.ArgumentParser()
parser.add_argument("--base-url", required=True)
parser.add_argument("--seconds", type=float, default=10)
parser.add_argument("--clients", type=int, default=4)
arguments = parser.parse_args()

lock = threading.Lock()
totals = {"completions": 0, "streams": 0, "chunks": 0, "exceptions": []}
deadline = time.monotonic() + arguments.seconds


def user(index):
    client = OpenAI(base_url=arguments.base_url, api_key="sk-release", max_retries=0, timeout=20)
    turn = 0
    while time.monotonic() < deadline:
        turn += 1
        messages = [{"role": "user", "content": f"user {index} turn {turn}"}]
        try:
            if turn % 2:
                chunks = 0
                for chunk in client.chat.completions.create(model="yard-local", messages=messages, stream=True, max_tokens=8):
                    chunks += 1
                with lock:
                    totals["streams"] += 1
                    totals["chunks"] += chunks
            else:
                reply = client.chat.completions.create(model="yard-local", messages=messages, max_tokens=4)
                assert reply.choices, "a completion without choices"
                with lock:
                    totals["completions"] += 1
        except Exception as error:  # noqa: BLE001 - every exception is what a user saw
            with lock:
                totals["exceptions"].append(f"{type(error).__name__}: {error}")
        if turn % 10 == 0:
            client.close()
            client = OpenAI(base_url=arguments.base_url, api_key="sk-release", max_retries=0, timeout=20)


threads = [threading.Thread(target=user, args=(index,)) for index in range(arguments.clients)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps(totals))
