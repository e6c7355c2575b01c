#!/usr/bin/env python3
# usage: events-client.py BASE_URL KEY OUT.json  (docs/dashboard.md, "Measured")
# Dashboard push measurement client: one SSE reader (as the page reads it) plus a responsiveness probe that GETs
# what the page loads (/, /api/rollouts) once a second, until the stream ends or the run stops.
import json, sys, threading, time, urllib.request, statistics
base, key, out = sys.argv[1].rstrip('/'), sys.argv[2], sys.argv[3]
H = {"Authorization": "Bearer " + key}
stop = threading.Event()
probe = []
def probe_loop():
    while not stop.is_set():
        for path in ("/", "/api/rollouts"):
            t = time.perf_counter()
            try:
                with urllib.request.urlopen(urllib.request.Request(base + path, headers=H), timeout=30) as r: r.read()
                probe.append((path, (time.perf_counter() - t) * 1000))
            except Exception as e:
                probe.append((path, -1))
        stop.wait(1.0)
threading.Thread(target=probe_loop, daemon=True).start()
updates = []
start = time.time()
try:
    req = urllib.request.Request(base + "/api/events", headers=H)
    with urllib.request.urlopen(req, timeout=600) as r:
        ev, data, nbytes = None, [], 0
        for raw in r:
            nbytes += len(raw)
            line = raw.decode().rstrip("\n").rstrip("\r")
            if line == "":
                if ev == "update" and data:
                    u = json.loads("\n".join(data))
                    updates.append((time.time() - start, u["seq"], u["deviceEvents"], u["rolloutEvents"],
                                    sum(u["outcomes"].values()), len(u["rollouts"]), len("\n".join(data))))
                ev, data = None, []
            elif line.startswith("event:"): ev = line[6:].strip()
            elif line.startswith("data:"): data.append(line[5:].lstrip())
except Exception as e:
    print("stream ended:", e, file=sys.stderr)
stop.set()
busy = [u for u in updates if u[2] + u[3] > 0]
gaps = [b[0] - a[0] for a, b in zip(updates, updates[1:])]
seqs = [u[1] for u in updates]
res = {
    "updates": len(updates), "seq_gaps": sum(1 for a, b in zip(seqs, seqs[1:]) if b != a + 1),
    "device_events": sum(u[2] for u in updates), "rollout_events": sum(u[3] for u in updates),
    "outcomes": sum(u[4] for u in updates),
    "span_s": (updates[-1][0] - updates[0][0]) if updates else 0,
    "max_events_per_update": max((u[2] + u[3] for u in updates), default=0),
    "max_update_bytes": max((u[6] for u in updates), default=0),
    "median_gap_ms": statistics.median(gaps) * 1000 if gaps else None, "max_gap_ms": max(gaps) * 1000 if gaps else None,
    "probe_ms": {p: {"n": len(v), "median": statistics.median(v), "max": max(v)} for p in ("/", "/api/rollouts")
                 for v in [[ms for q, ms in probe if q == p and ms >= 0]] if v},
    "probe_failures": sum(1 for _, ms in probe if ms < 0),
}
if res["span_s"]: res["device_events_per_s"] = res["device_events"] / res["span_s"]; res["updates_per_s"] = len(updates) / res["span_s"]
json.dump(res, open(out, "w"), indent=1); print(json.dumps(res, indent=1))
