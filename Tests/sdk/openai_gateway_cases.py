"""Drives yard-gateway with the official OpenAI Python SDK, one case at a time.

Run by Tests/SwitchyardGatewayTests/OpenAISDKTests.swift, which starts the gateways and passes
their URLs. Prints one JSON object per case ({"case", "ok", "detail"}) and exits 0 only if every
case went as expected: any SDK exception a case does not expect fails that case.
"""

import argparse
import http.client
import json
import sys
import urllib.parse

import openai
from openai import OpenAI

MODEL = "yard-local"
results = []


def case(name):
    def run(fn):
        try:
            detail = fn()
            results.append({"case": name, "ok": True, "detail": detail or ""})
        except Exception as error:  # noqa: BLE001 - every unexpected exception fails the case
            results.append({"case": name, "ok": False, "detail": f"{type(error).__name__}: {error}"})
        return fn

    return run


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def raw_post(base_url, path, body, headers):
    """A POST with the standard library, below the SDK: the response, to read line by line."""
    url = urllib.parse.urlsplit(base_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    connection.request("POST", url.path + path, body=json.dumps(body), headers={"Content-Type": "application/json", **headers})
    return connection, connection.getresponse()


def raw_lines(response):
    while True:
        line = response.readline()
        if not line:
            return
        yield line.decode().rstrip("\r\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True, help="the gateway with auth on, as http://HOST:PORT/v1")
    parser.add_argument("--key", required=True)
    parser.add_argument("--other-key", required=True)
    parser.add_argument("--limited-base-url", required=True, help="a gateway with auth off and --rate-limit 1/m:2")
    parser.add_argument("--proxy-base-url", required=True, help="a gateway whose upstream stalls streams mid-way")
    args = parser.parse_args()

    client = OpenAI(base_url=args.base_url, api_key=args.key, max_retries=0, timeout=30)

    def answer(prompt, tokens, **extra):
        reply = client.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": prompt}], max_tokens=tokens, **extra
        )
        return reply.choices[0].message.content

    @case("models")
    def _():
        ids = [model.id for model in client.models.list()]
        expect(MODEL in ids, f"models.list() gave {ids}")
        expect(client.models.retrieve(MODEL).id == MODEL, "models.retrieve() named another model")
        try:
            client.models.retrieve("no-such-model")
            raise AssertionError("an unknown model was found")
        except openai.NotFoundError as error:
            expect(error.code == "model_not_found", f"code {error.code}")
        return f"listed {ids}"

    @case("completion")
    def _():
        reply = client.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": "hello"}], max_completion_tokens=4
        )
        content = reply.choices[0].message.content
        expect(len(content.split()) == 4, f"max_completion_tokens=4 gave {content!r}")
        expect(reply.usage.completion_tokens == 4, f"usage {reply.usage}")
        expect(reply.choices[0].finish_reason == "stop", reply.choices[0].finish_reason)
        return content

    @case("n choices")
    def _():
        reply = client.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": "three ways"}], max_tokens=3, n=3
        )
        expect([choice.index for choice in reply.choices] == [0, 1, 2], f"choices {reply.choices}")
        expect(reply.usage.completion_tokens == 9, f"usage {reply.usage}")

    @case("stream with include_usage")
    def _():
        chunks = list(
            client.chat.completions.create(
                model=MODEL, messages=[{"role": "user", "content": "usage"}], max_tokens=5, stream=True,
                stream_options={"include_usage": True},
            )
        )
        text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
        expect(text == answer("usage", 5), f"streamed {text!r}")
        last = chunks[-1]
        expect(last.choices == [] and last.usage is not None, f"last chunk {last}")
        expect(last.usage.completion_tokens == 5, f"usage {last.usage}")
        expect(all(chunk.usage is None for chunk in chunks[:-1]), "usage on a chunk before the last")
        return f"{len(chunks)} chunks"

    @case("stream with pings")
    def _():
        # The gateway pings every 100 ms; 450 ms between tokens makes several pings between events.
        headers = {"X-Yard-Token-Delay": "450ms"}
        stream = client.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": "slow"}], max_tokens=2, stream=True, extra_headers=headers
        )
        text = "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)
        expect(len(text.split()) == 2, f"streamed {text!r}")
        # The same request raw: the pings were there, and none is followed by a blank line.
        body = {"model": MODEL, "messages": [{"role": "user", "content": "slow"}], "max_tokens": 2, "stream": True}
        connection, response = raw_post(args.base_url, "/chat/completions", body, {"Authorization": f"Bearer {args.key}", **headers})
        lines = list(raw_lines(response))
        connection.close()
        pings = [i for i, line in enumerate(lines) if line.startswith(":")]
        expect(len(pings) >= 4, f"only {len(pings)} pings in {lines}")
        blank_after_ping = [i for i in pings if i + 1 < len(lines) and lines[i + 1] == ""]
        expect(not blank_after_ping, f"a blank line follows a ping at lines {blank_after_ping}")
        return f"{len(pings)} pings, text {text!r}"

    @case("content parts")
    def _():
        reply = client.chat.completions.create(
            model=MODEL, max_tokens=4,
            messages=[{"role": "user", "content": [{"type": "text", "text": "hello"}]}],
        )
        expect(reply.choices[0].message.content == answer("hello", 4), "parts gave another answer than the string")

    @case("stop")
    def _():
        full = answer("stop here", 12)
        word = full.split()[5]
        expected = full[: full.index(word)]
        got = answer("stop here", 12, stop=[word])
        expect(got == expected, f"stop={word!r}: {got!r}, expected {expected!r}")
        streamed = "".join(
            chunk.choices[0].delta.content or ""
            for chunk in client.chat.completions.create(
                model=MODEL, messages=[{"role": "user", "content": "stop here"}], max_tokens=12, stop=word, stream=True
            )
            if chunk.choices
        )
        expect(streamed == expected, f"streamed with stop: {streamed!r}")
        return f"stop {word!r}"

    @case("empty messages")
    def _():
        try:
            client.chat.completions.create(model=MODEL, messages=[])
            raise AssertionError("empty messages were accepted")
        except openai.BadRequestError as error:
            expect(error.type == "invalid_request_error" and error.param == "messages", f"{error.type} {error.param}")
            return error.message

    @case("readable 400")
    def _():
        try:
            client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": 42}])
            raise AssertionError("a number as content was accepted")
        except openai.BadRequestError as error:
            expect(error.param == "messages[0].content", f"param {error.param}")
            for internal in ("DecodingError", "typeMismatch", "keyNotFound", "CodingKeys", "Swift"):
                expect(internal not in error.message, f"decoder internals in {error.message!r}")
            return error.message

    @case("auth errors")
    def _():
        try:
            OpenAI(base_url=args.base_url, api_key="sk-wrong", max_retries=0).models.list()
            raise AssertionError("a wrong key was accepted")
        except openai.AuthenticationError as error:
            expect(error.code == "invalid_api_key", f"code {error.code}")
        # The SDK will not send a request without a key; the same request raw, with none.
        body = {"model": MODEL, "messages": [{"role": "user", "content": "x"}]}
        connection, response = raw_post(args.base_url, "/chat/completions", body, {})
        answer = json.loads(response.read())
        connection.close()
        expect(response.status == 401 and answer["error"]["code"] == "missing_api_key", f"{response.status} {answer}")

    @case("rate limit")
    def _():
        # Auth is off there: the limiter keys on the client address, so rotating bearers do not help.
        for attempt in range(3):
            limited = OpenAI(base_url=args.limited_base_url, api_key=f"rotating-{attempt}", max_retries=0)
            try:
                limited.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "x"}], max_tokens=1)
                expect(attempt < 2, "the third request passed the 1/m:2 limit")
            except openai.RateLimitError as error:
                expect(attempt == 2, f"limited too early, at request {attempt + 1}")
                retry_after = int(error.response.headers["retry-after"])
                expect(retry_after >= 1, f"Retry-After {retry_after}")
                return f"Retry-After {retry_after}"
        raise AssertionError("never limited")

    @case("resume")
    def _():
        body = {"model": MODEL, "messages": [{"role": "user", "content": "resume me"}], "max_tokens": 6, "stream": True}
        headers = {"Authorization": f"Bearer {args.key}", "X-Yard-Token-Delay": "40ms"}
        first, last_id, events = "", None, 0
        connection, response = raw_post(args.base_url, "/chat/completions", body, headers)
        for line in raw_lines(response):
            if line.startswith("id:"):
                last_id = line[3:].strip()
            elif line.startswith("data:"):
                chunk = json.loads(line[5:])
                first += chunk["choices"][0]["delta"].get("content") or ""
                events += 1
                if events == 3:
                    break
        connection.close()  # dropped mid-stream, as a flaky network would
        expect(last_id, "no event id")
        rest = "".join(
            chunk.choices[0].delta.content or ""
            for chunk in client.chat.completions.create(
                model=MODEL, messages=body["messages"], max_tokens=6, stream=True, extra_headers={"Last-Event-ID": last_id}
            )
            if chunk.choices
        )
        whole = answer("resume me", 6)
        expect(first + rest == whole, f"{first!r} + {rest!r} != {whole!r}")
        # Another key naming the same stream gets a fresh answer, not the rest of this one.
        other = OpenAI(base_url=args.base_url, api_key=args.other_key, max_retries=0)
        fresh = "".join(
            chunk.choices[0].delta.content or ""
            for chunk in other.chat.completions.create(
                model=MODEL, messages=body["messages"], max_tokens=6, stream=True, extra_headers={"Last-Event-ID": last_id}
            )
            if chunk.choices
        )
        expect(fresh == whole, f"another key resumed the stream: {fresh!r}")
        return f"resumed after {last_id}"

    @case("upstream fails mid-stream")
    def _():
        proxy = OpenAI(base_url=args.proxy_base_url, api_key="sk-any", max_retries=0, timeout=30)
        expect(MODEL in [model.id for model in proxy.models.list()], "models not forwarded")
        received = 0
        try:
            for chunk in proxy.chat.completions.create(
                model=MODEL, messages=[{"role": "user", "content": "cut"}], max_tokens=8, stream=True
            ):
                received += 1
            raise AssertionError(f"the stream ended without an error after {received} chunks")
        except openai.APIError as error:
            expect(not isinstance(error, openai.APIConnectionError), f"a cut connection, not an error event: {error}")
            expect("upstream" in error.message, error.message)
            expect(received >= 1, "no chunk before the error")
            return f"{received} chunks, then: {error.message}"

    for result in results:
        print(json.dumps(result), flush=True)
    return 0 if all(result["ok"] for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
