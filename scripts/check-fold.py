#!/usr/bin/env python3
"""Checks a `retrytop snapshot` against a `retrytop events` recording of the same run.

    python3 scripts/check-fold.py EVENTS.jsonl SNAPSHOT.json

Independent of the fold's attribution rules, it uses only facts that hold whatever order events arrive in:
- a task with a `task-succeeded` or `task-failed` event has finished: it must not be RETRY, STARTED or
  RECEIVED in the snapshot, and its newest attempt must carry that outcome;
- a task with a `task-revoked` event and no success must be REVOKED;
- a task's attempt count is at least the highest `retries` seen + 1, and its numbers are 1..n in order.
Tasks with an event within 2 s of the snapshot's `generated_at` or after it are left out (the recording may
have gone on longer than the snapshot); how many is printed.
Prints a summary and every violation; exits 1 when there is one.
"""
import json
import sys


def main(events_path, snapshot_path):
    with open(snapshot_path) as handle:
        snapshot = json.load(handle)
    cutoff = snapshot["generated_at"] - 2
    late = set()
    finished = {}   # id -> "SUCCESS" | "FAILURE" (a success wins: failure events of older attempts do not exist)
    revoked = set()
    max_retries = {}
    with open(events_path) as handle:
        for line in handle:
            line = line.strip()
            if not line:
                continue
            event = json.loads(line)
            uuid = event.get("uuid")
            if not uuid:
                continue
            if event.get("timestamp", 0) > cutoff:
                late.add(uuid)
                continue
            kind = event.get("type")
            if kind == "task-succeeded":
                finished[uuid] = "SUCCESS"
            elif kind == "task-failed":
                finished.setdefault(uuid, "FAILURE")
            elif kind == "task-revoked":
                revoked.add(uuid)
            if isinstance(event.get("retries"), int):
                max_retries[uuid] = max(max_retries.get(uuid, 0), event["retries"])
    tasks = {task["id"]: task for task in snapshot["tasks"] if task["id"] not in late}
    violations = []
    for uuid, outcome in finished.items():
        task = tasks.get(uuid)
        if task is None:
            continue  # evicted, or finished before the snapshot started
        if task["state"] in ("RETRY", "STARTED", "RECEIVED"):
            violations.append(f"{uuid}: finished ({outcome}) but shown as {task['state']}")
        attempts = task.get("attempts") or []
        if attempts and outcome == "SUCCESS" and attempts[-1].get("outcome") != "SUCCESS":
            violations.append(f"{uuid}: succeeded but its newest attempt is {attempts[-1].get('outcome')}")
    for uuid in revoked - {u for u, o in finished.items() if o == "SUCCESS"}:
        task = tasks.get(uuid)
        if task is not None and task["state"] != "REVOKED":
            violations.append(f"{uuid}: revoked but shown as {task['state']}")
    for uuid, task in tasks.items():
        numbers = [a["number"] for a in task.get("attempts") or []]
        if numbers != sorted(numbers) or len(set(numbers)) != len(numbers):
            violations.append(f"{uuid}: attempt numbers {numbers}")
        if uuid in max_retries and numbers and numbers[-1] < max_retries[uuid] + 1 and task.get("dropped_attempts", 0) == 0:
            violations.append(f"{uuid}: {len(numbers)} attempts but retries={max_retries[uuid]} was seen")
    states = {}
    for task in tasks.values():
        states[task["state"]] = states.get(task["state"], 0) + 1
    print(f"{len(tasks)} tasks checked ({len(late)} with events at the snapshot's end left out) {states}; {len(finished)} finished and {len(revoked)} revoked in the recording")
    for violation in violations:
        print("VIOLATION", violation)
    print(f"{len(violations)} violations")
    return 1 if violations else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
