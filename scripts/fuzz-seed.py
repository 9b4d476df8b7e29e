#!/usr/bin/env python3
"""Writes the seed corpus of the DecodeFuzz target into Tests/Fixtures/fuzz-corpus/ (run once; committed).

Seeds: real event envelopes from Tests/Fixtures/wire/*_envelopes.jsonl, and hand-made hostile inputs
whose file name prefix the corpus replay test checks (hostile-number-*: DecodeStats.outOfRange > 0,
bad-batch-*: badBatchItems > 0, invalid-utf8-*: invalidUTF8IDs > 0).
"""
import base64, glob, json, os

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = os.path.join(root, "Tests", "Fixtures", "fuzz-corpus")
os.makedirs(out, exist_ok=True)

def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())

def envelope(body: bytes) -> bytes:
    return json.dumps({"body": base64.b64encode(body).decode(), "content-encoding": "utf-8",
                       "content-type": "application/json", "headers": {"hostname": "celery@w1"},
                       "properties": {"body_encoding": "base64", "delivery_mode": 1}}).encode()

# Real envelopes: every event type, a few per capture phase.
seen = {}
for path in sorted(glob.glob(os.path.join(root, "Tests", "Fixtures", "wire", "*_envelopes.jsonl"))):
    phase = os.path.basename(path).split("_")[0]
    for line in open(path):
        record = json.loads(line)
        if "celeryev" not in record.get("channel", ""):
            continue
        env = record.get("envelope")
        if not isinstance(env, dict):
            continue
        try:
            body = json.loads(base64.b64decode(env["body"]))
        except Exception:
            continue
        events = body if isinstance(body, list) else [body]
        kind = events[0].get("type", "?") + ("-multi" if isinstance(body, list) and len(body) > 1 else "")
        key = (phase, kind)
        if seen.get(key, 0) >= 2:
            continue
        seen[key] = seen.get(key, 0) + 1
        write(f"real-{phase}-{kind}-{seen[key]}", json.dumps(env, separators=(",", ":")))

T = 1795696000.25
ID = "0b7c5a3e-4f1d-4c2b-9a8e-2d6f0e1c3b4a"
def task(kind="task-received", **extra):
    fields = {"type": kind, "hostname": "celery@w1", "timestamp": T, "clock": 5, "uuid": ID, "retries": 0}
    fields.update(extra)
    return fields

hostile = {
    "timestamp-1e19": '{"type":"task-received","hostname":"celery@w1","timestamp":1e19,"uuid":"%s"}' % ID,
    "timestamp-minus-1e19": '{"type":"task-received","hostname":"celery@w1","timestamp":-1e19,"uuid":"%s"}' % ID,
    "timestamp-1e308": '{"type":"task-started","hostname":"celery@w1","timestamp":1e308,"uuid":"%s"}' % ID,
    "timestamp-nan-string": '{"type":"task-started","hostname":"celery@w1","timestamp":"nan","uuid":"%s"}' % ID,
    "timestamp-inf-string": '{"type":"worker-heartbeat","hostname":"celery@w1","timestamp":"-inf"}',
    "eta-1e308": json.dumps(task(eta=1e308)),
    "eta-iso-9999": json.dumps(task("task-sent", eta="9999-12-31T23:59:59.999999+00:00", expires=-1e19)),
    "retries-minus-5": json.dumps(task(retries=-5)),
    "retries-1e19": json.dumps(task(retries=1e19)),
    "worker-numbers": '{"type":"worker-heartbeat","hostname":"celery@w1","timestamp":%r,"clock":-1,"pid":1e19,"freq":1e308,"active":-3,"processed":1e300,"loadavg":[1e308,-1,"nan"],"utcoffset":1e19}' % T,
    "revoked-signum": json.dumps(task("task-revoked", terminated=True, signum=-1e300)),
    "runtime-huge": json.dumps(task("task-succeeded", runtime=1e308, result="1")),
}
for name, body in hostile.items():
    write(f"hostile-number-{name}", body)
    write(f"hostile-number-{name}-envelope", envelope(body.encode()))

good = json.dumps(task())
batches = {
    "int-first": f"[1,{good}]",
    "string-null-array": f'[{good},"x",null,[{good}],{json.dumps(task("task-started"))}]',
    "only-junk": '[true,false,1.5,"s",[],[[]]]',
}
for name, body in batches.items():
    write(f"bad-batch-{name}", body)
    write(f"bad-batch-{name}-envelope", envelope(body.encode()))

prefix = b'{"type":"task-received","hostname":"celery@w1","timestamp":1795696000,"name":"app.add","uuid":"task-'
write("invalid-utf8-ff", prefix + b'\xff"}\n' + prefix + b'\xfe"}\n' + prefix + b'\xef\xbf\xbd"}')
write("invalid-utf8-root", prefix + b'ok","root_id":"r\xc3\x28","parent_id":"p\xed\xa0\x80"}')
write("invalid-utf8-envelope", envelope(prefix + b'\x80\x81\\\\x80"}'))

write("deep-array", "[" * 200)
write("deep-object", '{"a":' * 100 + "1" + "}" * 100)
write("deep-field", json.dumps(task(kwargs=None))[:-1] + ',"x":' + "[" * 70 + "]" * 70 + "}")
write("escapes-bidi-c1", json.dumps(task("task-failed", exception="E('\u009b31m\u202e\u2028\u0000')", traceback="T\u2066\u0085")))
write("escapes-lone-surrogate", '{"type":"task-received","hostname":"w\\ud800","timestamp":1795696000,"uuid":"\\udc00x"}')
write("truncated-envelope", envelope(good.encode())[:57])
write("numbers-odd", '{"type":"task-received","hostname":"h","timestamp":1795696000.000000000000000000001,"clock":1.5,"retries":"3","pid":-0,"uuid":"u"}')
