// The FleetOrchestrator dashboard: plain JS and SVG, no framework. Initial state comes from the operator API's GET
// endpoints; after that the server pushes coalesced updates over GET /api/events (docs/dashboard.md). The key stays
// in sessionStorage and goes out only as a bearer header, so the stream is read with fetch(), not EventSource
// (which cannot send headers), and the key never appears in a URL.
"use strict";

const KEY = "fleet.apiKey";
const BUCKET_MS = 5000;
const BUCKETS = 120;
const DETAILED_ROLLOUTS = 12;
const FINISHED = new Set(["Completed", "Cancelled", "RolledBack"]);
const COLORS = {
  Updated: "#2e7d32", UpToDate: "#66bb6a", NotStarted: "#cfd8dc", Pending: "#cfd8dc", InFlight: "#42a5f5",
  Failed: "#c62828", RolledBack: "#ef6c00", Lost: "#6d4c41", Incompatible: "#8e24aa", Cancelled: "#9e9e9e",
  RevertedAfterCommit: "#ad1457", Excluded: "#b0bec5", Staged: "#26a69a",
};
// Which actions make sense in which status; the server still decides (a refusal is shown as its 409 detail).
const ACTIONS = {
  Staging: ["pause", "activate", "cancel"], Running: ["pause", "cancel"], Paused: ["resume", "cancel"],
  Halted: ["approve", "rollback", "cancel"], Completed: ["rollback"], Cancelled: ["rollback"],
};

const state = { role: "viewer", rollouts: new Map(), buckets: [], fleet: null, device: null, abort: null,
  lastSeq: 0, events: 0 };
window.__dashboardLoadId = Math.random().toString(36).slice(2);

const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v; else if (k.startsWith("data-")) e.setAttribute(k, v); else e[k] = v;
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
};
const svg = (tag, attrs = {}) => {
  const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
};

async function api(path, options = {}) {
  const headers = { Authorization: "Bearer " + sessionStorage.getItem(KEY), ...(options.headers || {}) };
  if (options.body) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { ...options, headers });
  if (response.status === 401) { signOut("the key was not accepted"); throw new Error("unauthorized"); }
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  return { status: response.status, ok: response.ok, body };
}

function signOut(message) {
  if (state.abort) state.abort.abort();
  sessionStorage.removeItem(KEY);
  $("app").hidden = true; $("sign-out").hidden = true; $("login").hidden = false;
  $("whoami").textContent = ""; setLive(false);
  $("login-error").textContent = message || "";
}

async function signIn(key) {
  sessionStorage.setItem(KEY, key);
  const probe = await fetch("/api/rollouts", { headers: { Authorization: "Bearer " + key } });
  if (probe.status === 401) { signOut("the key was not accepted"); return; }
  $("login").hidden = true; $("app").hidden = false; $("sign-out").hidden = false;
  await loadRole();
  await loadInitial();
  connect();
}

async function loadRole() {
  // GET /api/me names the signed-in key's role; a server without roles has one all-powerful operator key.
  const me = await api("/api/me").catch(() => null);
  state.role = me && me.ok && me.body && me.body.role ? me.body.role : "operator";
  const name = me && me.ok && me.body && me.body.name ? me.body.name : "operator";
  $("whoami").textContent = `${name} (${state.role})`;
  for (const e of document.querySelectorAll(".operator-only")) e.hidden = !canAct();
}

const canAct = () => state.role === "operator" || state.role === "admin";

async function loadInitial() {
  const list = await api("/api/rollouts");
  state.rollouts.clear();
  const summaries = list.body || [];
  // Details (waves, gates) for the unfinished and the newest; the rest are listed by their summary line.
  const detailed = summaries.filter((r) => !FINISHED.has(r.status))
    .concat(summaries.filter((r) => FINISHED.has(r.status))).slice(0, DETAILED_ROLLOUTS);
  for (const s of summaries) state.rollouts.set(s.rolloutId, { summary: s });
  await Promise.all(detailed.map(async (s) => {
    const d = await api("/api/rollouts/" + encodeURIComponent(s.rolloutId));
    if (d.ok) state.rollouts.get(s.rolloutId).detail = d.body;
  }));
  renderRollouts();
  const artifacts = await api("/api/artifacts");
  const select = $("start-artifact");
  select.replaceChildren(...(artifacts.body || []).filter((a) => !a.damaged)
    .map((a) => el("option",
      { value: a.id, textContent: `${a.version} (${a.hardwareTarget}, ${a.id.slice(0, 12)}…)` })));
  if (state.device) showDevice(state.device);
}

// The event stream: read with fetch and a streaming body reader, parsed as text/event-stream.
async function connect() {
  if (state.abort) state.abort.abort();
  const abort = new AbortController();
  state.abort = abort;
  try {
    const response = await fetch("/api/events", {
      headers: { Authorization: "Bearer " + sessionStorage.getItem(KEY), Accept: "text/event-stream" },
      signal: abort.signal,
    });
    if (response.status === 401) { signOut("the key was not accepted"); return; }
    if (!response.ok) throw new Error("events: HTTP " + response.status);
    setLive(true);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        dispatch(frame);
      }
    }
  } catch (e) {
    if (abort.signal.aborted) return;
  }
  if (abort.signal.aborted) return;
  // The server ended the stream (restart, or this tab fell behind): start again from a fresh load.
  setLive(false);
  setTimeout(async () => {
    if (abort.signal.aborted || !sessionStorage.getItem(KEY)) return;
    try { await loadInitial(); } catch (e) { /* the next connect tries again */ }
    connect();
  }, 2000);
}

function dispatch(frame) {
  let type = "message";
  const data = [];
  for (const line of frame.split("\n")) {
    if (line.startsWith("event:")) type = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
  }
  if (data.length === 0) return;
  const payload = JSON.parse(data.join("\n"));
  if (type === "hello") {
    if (state.lastSeq && payload.nextSeq !== state.lastSeq + 1) loadInitial();
    state.lastSeq = payload.nextSeq - 1;
    setFleet(payload.fleet);
  } else if (type === "update") {
    applyUpdate(payload);
  }
}

function applyUpdate(u) {
  if (state.lastSeq && u.seq !== state.lastSeq + 1) loadInitial();
  state.lastSeq = u.seq;
  state.events += u.deviceEvents + u.rolloutEvents;
  $("event-count").textContent = `${state.events} events pushed`;
  for (const detail of u.rollouts) {
    const entry = state.rollouts.get(detail.rolloutId) || { summary: null };
    entry.detail = detail;
    state.rollouts.set(detail.rolloutId, entry);
    renderRollout(detail.rolloutId);
  }
  if (u.rollouts.some((d) => !$("rollouts").querySelector(`[data-rollout-id="${CSS.escape(d.rolloutId)}"]`)))
    renderRollouts();
  addOutcomes(u.at, u.outcomes);
  if (u.fleet) setFleet(u.fleet);
  if (state.device && u.devices.includes(state.device)) showDevice(state.device);
}

function setLive(on) {
  const s = $("live-status");
  s.textContent = on ? "live" : "offline";
  s.className = "live " + (on ? "on" : "off");
}

// ---- rollouts

function renderRollouts() {
  const box = $("rollouts");
  const ids = [...state.rollouts.keys()]
    .sort((a, b) => started(state.rollouts.get(b)) - started(state.rollouts.get(a)));
  box.replaceChildren(...ids.map((id) => el("div", { class: "rollout", "data-rollout-id": id })));
  for (const id of ids) renderRollout(id);
  if (ids.length === 0) box.append(el("p", { class: "note", textContent: "No rollout yet." }));
}

const started = (entry) =>
  Date.parse((entry.detail && entry.detail.startedAt) || (entry.summary && entry.summary.startedAt) || 0) || 0;

function renderRollout(id) {
  const box = $("rollouts").querySelector(`[data-rollout-id="${CSS.escape(id)}"]`);
  if (!box) return;
  const { summary, detail } = state.rollouts.get(id);
  const status = detail ? detail.status : summary.status;
  const title = el("h3", {}, el("span", { textContent: id }),
    el("span", { class: "name", textContent: (detail && detail.name) || (summary && summary.name) || "" }),
    el("span", { class: "status", textContent: status }));
  const parts = [title];
  if (detail && detail.haltReason)
    parts.push(el("div", { class: "halt", textContent: "halted: " + detail.haltReason }));
  if (detail) {
    detail.waves.forEach((w, i) => parts.push(renderWave(w, i, i === detail.currentWave)));
    parts.push(el("div", { class: "counts", textContent: `in flight ${detail.inFlight}` }));
  } else if (summary) {
    parts.push(el("div", { class: "counts",
      textContent: `${summary.devices} devices, ${summary.commanded} commanded, ` + countsText(summary.outcomes) }));
  }
  if (canAct()) {
    const actions = el("div", { class: "actions" });
    for (const action of ACTIONS[status] || []) {
      actions.append(el("button", { "data-action": action, textContent: action, onclick: () => act(id, action) }));
    }
    parts.push(actions);
  }
  box.replaceChildren(...parts);
}

function renderWave(w, index, current) {
  const bar = svg("svg", { viewBox: "0 0 100 10", preserveAspectRatio: "none" });
  let x = 0;
  for (const [outcome, n] of Object.entries(w.outcomes).sort()) {
    const width = w.devices ? (100 * n) / w.devices : 0;
    const rect = svg("rect",
      { x, y: 0, width, height: 10, fill: COLORS[outcome] || "#90a4ae", "data-outcome": outcome });
    rect.append(svg("title"));
    rect.firstChild.textContent = `${outcome}: ${n}`;
    bar.append(rect);
    x += width;
  }
  return el("div", { class: "wave" + (current ? " current" : ""), "data-wave": String(index) },
    el("span", { textContent: `${w.name} (${w.phase})` }), bar,
    el("span", {}, el("span", { class: "counts", textContent: countsText(w.outcomes) + ` of ${w.devices}` }),
      el("br"), el("span", { class: "gate", textContent: "gate: " + w.gateState })));
}

const countsText = (outcomes) => Object.entries(outcomes || {}).map(([k, v]) => `${k} ${v}`).join(" · ") || "none";

async function act(id, action) {
  const answer = await api(`/api/rollouts/${encodeURIComponent(id)}/${action}`,
    { method: "POST", body: JSON.stringify({ reason: $("action-reason").value }) });
  $("action-result").textContent = answer.ok
    ? `${action} ${id}: ${answer.body.status}`
    : `${action} ${id} refused: ${(answer.body && (answer.body.detail || answer.body.title)) || answer.status}`;
}

async function startRollout(event) {
  event.preventDefault();
  let policy;
  try { policy = JSON.parse($("start-policy").value); } catch (e) {
    $("start-result").textContent = "the policy is not JSON: " + e.message; return;
  }
  const body = { artifactId: $("start-artifact").value, policy, reason: $("action-reason").value };
  if ($("start-id").value.trim()) body.id = $("start-id").value.trim();
  const answer = await api("/api/rollouts", { method: "POST", body: JSON.stringify(body) });
  if (answer.ok) {
    $("start-result").textContent = `started ${answer.body.rolloutId}: ${answer.body.status}`;
    // A pushed update may have overtaken this read: it is newer, so the read only fills a rollout not yet shown.
    const d = await api("/api/rollouts/" + encodeURIComponent(answer.body.rolloutId));
    if (d.ok && !(state.rollouts.get(d.body.rolloutId) || {}).detail) {
      state.rollouts.set(d.body.rolloutId, { summary: null, detail: d.body });
      renderRollouts();
    }
  } else {
    const errors = answer.body && answer.body.errors ? " " + JSON.stringify(answer.body.errors) : "";
    $("start-result").textContent = `refused: ${(answer.body && answer.body.detail) || answer.status}${errors}`;
  }
}

// ---- charts

function addOutcomes(at, outcomes) {
  const t = Math.floor(Date.parse(at) / BUCKET_MS) * BUCKET_MS;
  let bucket = state.buckets.find((b) => b.t === t);
  if (!bucket) { bucket = { t, counts: {} }; state.buckets.push(bucket); }
  for (const [k, v] of Object.entries(outcomes)) bucket.counts[k] = (bucket.counts[k] || 0) + v;
  state.buckets = state.buckets.filter((b) => b.t > t - BUCKETS * BUCKET_MS);
  renderOutcomes();
}

function renderOutcomes() {
  const chart = $("outcomes-chart");
  const now = Math.floor(Date.now() / BUCKET_MS) * BUCKET_MS;
  const max = Math.max(1, ...state.buckets.map((b) => Object.values(b.counts).reduce((a, c) => a + c, 0)));
  const width = 600 / BUCKETS;
  const seen = new Set();
  chart.replaceChildren();
  for (const b of state.buckets) {
    const x = 600 - ((now - b.t) / BUCKET_MS + 1) * width;
    let y = 160;
    for (const [k, v] of Object.entries(b.counts).sort()) {
      const h = (150 * v) / max;
      y -= h;
      seen.add(k);
      chart.append(svg("rect", { x, y, width: Math.max(1, width - 1), height: h, fill: COLORS[k] || "#90a4ae" }));
    }
  }
  chart.append(Object.assign(svg("text", { x: 4, y: 12, "font-size": 10 }), { textContent: `max ${max} per 5 s` }));
  $("outcomes-legend").replaceChildren(...[...seen].sort().map((k) =>
    el("span", {}, Object.assign(el("i"), { style: `background:${COLORS[k] || "#90a4ae"}` }), k)));
}

function setFleet(fleet) {
  state.fleet = fleet;
  $("fleet-total").textContent = `${fleet.total} devices`;
  const chart = $("versions-chart");
  const entries = Object.entries(fleet.versions).sort((a, b) => b[1] - a[1]).slice(0, 8);
  const max = Math.max(1, ...entries.map((e) => e[1]));
  chart.replaceChildren();
  entries.forEach(([version, n], i) => {
    const y = i * 20;
    chart.append(Object.assign(svg("text", { x: 0, y: y + 13, "font-size": 12 }), { textContent: version }));
    chart.append(svg("rect", { x: 90, y: y + 2, width: (440 * n) / max, height: 14, fill: "#42a5f5",
      "data-version": version }));
    chart.append(Object.assign(svg("text", { x: 96 + (440 * n) / max, y: y + 13, "font-size": 12 }),
      { textContent: String(n) }));
  });
}

// ---- device drill-down

async function showDevice(id) {
  state.device = id;
  const box = $("device-detail");
  const answer = await api("/api/devices/" + encodeURIComponent(id));
  if (!answer.ok) {
    const why = (answer.body && answer.body.detail) || `HTTP ${answer.status}`;
    box.replaceChildren(el("p", { class: "error", textContent: why }));
    return;
  }
  const d = answer.body;
  const s = d.summary;
  const rows = d.history.slice().reverse().map((h) => el("tr", {},
    el("td", { textContent: new Date(h.at).toLocaleTimeString() }), el("td", { textContent: h.event }),
    el("td", { textContent: h.sagaId }), el("td", { textContent: h.detail || "" })));
  box.replaceChildren(
    el("p", { textContent: `${s.deviceId}: runs ${s.runningVersion || "?"}, ${s.online ? "online" : "offline"}, ` +
      `state ${s.state}, last outcome ${s.lastOutcome || "none"}` }),
    el("h3", { textContent: "Saga timeline (newest first)" }),
    el("table", {},
      el("thead", {}, el("tr", {}, ...["at", "event", "saga", "detail"].map((t) => el("th", { textContent: t })))),
      el("tbody", {}, ...rows)),
    el("h3", { textContent: "Last state" }), el("pre", { textContent: JSON.stringify(d.lastState, null, 2) }));
}

window.addEventListener("DOMContentLoaded", () => {
  $("login-form").addEventListener("submit", (e) => { e.preventDefault(); signIn($("api-key").value.trim()); });
  $("sign-out").addEventListener("click", () => signOut(""));
  $("start-form").addEventListener("submit", startRollout);
  $("device-form").addEventListener("submit", (e) => { e.preventDefault(); showDevice($("device-id").value.trim()); });
  setInterval(renderOutcomes, BUCKET_MS);
  const key = sessionStorage.getItem(KEY);
  if (key) signIn(key); else $("login").hidden = false;
});
