"""The official OpenAI, Anthropic and Gemini SDKs against a running Switchyard.

Usage: sdk_check.py GATEWAY_URL CLIENT_KEY. The gateway must front switchyard-mock with the
providers of scripts/lib/stack.sh (gpt-* on OpenAI, claude-* on Anthropic, gemini-* on Gemini).
Prints one line per check and "N passed, M failed"; exits 1 on any failure.
"""
import sys
import traceback

import anthropic
import openai
from google import genai
from google.genai import types

BASE, KEY = sys.argv[1], sys.argv[2]
MODELS = ["gpt-4o", "claude-sonnet-4-5", "gemini-2.5-pro"]
PROMPT = "hello there"
EXPECTED = "mock reply to: hello there"
TOOL_PROMPT = "please use tool now"

results = []


def check(name, fn):
    try:
        fn()
        results.append((name, None))
        print(f"ok    {name}")
    except Exception as error:  # noqa: BLE001 - every failure is reported, none stops the run
        results.append((name, error))
        print(f"FAIL  {name}: {error!r}")
        traceback.print_exc(limit=3)


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


oai = openai.OpenAI(base_url=f"{BASE}/v1", api_key=KEY, max_retries=0)
ant = anthropic.Anthropic(base_url=BASE, api_key=KEY, max_retries=0)
gem = genai.Client(api_key=KEY, http_options=types.HttpOptions(base_url=BASE))

weather_tool_openai = {"type": "function", "function": {
    "name": "get_weather", "description": "Weather for a city",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}
weather_tool_anthropic = {"name": "get_weather", "description": "Weather for a city",
                          "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}

for model in MODELS:
    def openai_plain(model=model):
        reply = oai.chat.completions.create(model=model, messages=[{"role": "user", "content": PROMPT}])
        expect(EXPECTED in (reply.choices[0].message.content or ""), reply)
        expect(reply.usage is not None and reply.usage.total_tokens > 0, reply.usage)

    def openai_stream(model=model):
        text = ""
        usage = None
        with oai.chat.completions.create(model=model, messages=[{"role": "user", "content": PROMPT}], stream=True,
                                         stream_options={"include_usage": True}) as stream:
            for chunk in stream:
                if chunk.choices and chunk.choices[0].delta.content:
                    text += chunk.choices[0].delta.content
                if chunk.usage:
                    usage = chunk.usage
        expect(EXPECTED in text, text)
        expect(usage is not None, "no usage chunk")

    def openai_tools(model=model):
        reply = oai.chat.completions.create(model=model, messages=[{"role": "user", "content": TOOL_PROMPT}],
                                            tools=[weather_tool_openai])
        calls = reply.choices[0].message.tool_calls or []
        expect(calls and calls[0].function.name == "get_weather", reply)
        expect(reply.choices[0].finish_reason == "tool_calls", reply.choices[0].finish_reason)

    def anthropic_plain(model=model):
        reply = ant.messages.create(model=model, max_tokens=200, messages=[{"role": "user", "content": PROMPT}])
        expect(EXPECTED in "".join(block.text for block in reply.content if block.type == "text"), reply)
        expect(reply.stop_reason == "end_turn", reply.stop_reason)

    def anthropic_stream(model=model):
        with ant.messages.stream(model=model, max_tokens=200, messages=[{"role": "user", "content": PROMPT}]) as stream:
            text = "".join(stream.text_stream)
            final = stream.get_final_message()
        expect(EXPECTED in text, text)
        expect(final.usage.output_tokens > 0, final.usage)

    def anthropic_tools(model=model):
        reply = ant.messages.create(model=model, max_tokens=200, tools=[weather_tool_anthropic],
                                    messages=[{"role": "user", "content": TOOL_PROMPT}])
        uses = [block for block in reply.content if block.type == "tool_use"]
        expect(uses and uses[0].name == "get_weather", reply)
        expect(reply.stop_reason == "tool_use", reply.stop_reason)

    def anthropic_count(model=model):
        count = ant.messages.count_tokens(model=model, messages=[{"role": "user", "content": PROMPT}])
        expect(count.input_tokens > 0, count)

    def gemini_plain(model=model):
        reply = gem.models.generate_content(model=model, contents=PROMPT)
        expect(EXPECTED in (reply.text or ""), reply)

    def gemini_stream(model=model):
        text = "".join(chunk.text or "" for chunk in gem.models.generate_content_stream(model=model, contents=PROMPT))
        expect(EXPECTED in text, text)

    def gemini_count(model=model):
        count = gem.models.count_tokens(model=model, contents=PROMPT)
        expect((count.total_tokens or 0) > 0, count)

    for name, fn in [("openai", openai_plain), ("openai stream", openai_stream), ("openai tools", openai_tools),
                     ("anthropic", anthropic_plain), ("anthropic stream", anthropic_stream),
                     ("anthropic tools", anthropic_tools), ("anthropic count_tokens", anthropic_count),
                     ("gemini", gemini_plain), ("gemini stream", gemini_stream), ("gemini count_tokens", gemini_count)]:
        check(f"{name} SDK → {model}", fn)


def errors_in_each_format():
    try:
        oai.chat.completions.create(model="no-such-model", messages=[{"role": "user", "content": "x"}])
        raise AssertionError("no error")
    except openai.NotFoundError as error:
        expect(error.status_code == 404, error)
    try:
        anthropic.Anthropic(base_url=BASE, api_key="sy-wrong", max_retries=0).messages.create(
            model=MODELS[1], max_tokens=10, messages=[{"role": "user", "content": "x"}])
        raise AssertionError("no error")
    except anthropic.AuthenticationError as error:
        expect(error.status_code == 401, error)


check("typed errors in each SDK", errors_in_each_format)
check("openai models.list", lambda: expect(oai.models.list() is not None, "no list"))

failed = sum(1 for _, error in results if error)
print(f"{len(results) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
