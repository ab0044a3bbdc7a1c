// Agent assist pane: live suggestions for what the caller says, a caller profile for the call, a call log.
(() => {
  "use strict";
  const TOKEN_KEY = "zyjn.assist.token";
  const DEBOUNCE_MS = 250;
  const YES_NO = { true: "是", false: "否" };
  const $ = (id) => document.getElementById(id);
  // after: the kind of the suggestion for the caller's previous utterance, whose question this one may answer
  // previous: the caller's last question the documents answered (its reply cited a clause); a follow-up
  // asking only an aspect ("多久到账") continues it, as in the chat
  const state = { profile: {}, labels: {}, log: [], last: null, lastText: "", after: null, previous: null, timer: 0, seq: 0 };

  const token = () => sessionStorage.getItem(TOKEN_KEY);
  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    Object.assign(node, attrs);
    node.append(...children);
    return node;
  };
  const show = (id, on) => { $(id).hidden = !on; };

  async function api(method, path, body) {
    const response = await fetch(path, {
      method,
      headers: { "Authorization": `Bearer ${token()}`, "Content-Type": "application/json" },
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = await response.json().catch(() => ({}));
    if (response.status === 401) { signOut(data.error?.message); throw new Error("unauthorized"); }
    if (!response.ok) throw new Error(data.error?.message || `HTTP ${response.status}`);
    return data;
  }

  function showError(message) {
    $("error").textContent = message || "";
    show("error", Boolean(message));
  }

  // --- sign-in -----------------------------------------------------------------------------------------
  async function signIn(event) {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
    try {
      await api("POST", "/api/assist/suggest", { text: "你好" });  // checks the token
      enterPane();
    } catch (error) {
      if (error.message !== "unauthorized") { enterPane(); showError(error.message); }
    }
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    show("pane", false); show("sign-out", false); show("sign-in", true);
    $("sign-in-error").textContent = message || "";
    show("sign-in-error", Boolean(message));
  }

  function enterPane() {
    show("sign-in", false); show("sign-in-error", false); show("pane", true); show("sign-out", true);
    $("text").focus();
  }

  // --- suggestions ---------------------------------------------------------------------------------------
  function schedule() {
    clearTimeout(state.timer);
    state.timer = setTimeout(suggestNow, DEBOUNCE_MS);
  }

  async function suggestNow() {
    const text = $("text").value.trim();
    if (!text) return;
    const seq = ++state.seq;
    // A text that neither continues nor shortens the last one is the caller's next utterance.
    if (state.last && !text.startsWith(state.lastText) && !state.lastText.startsWith(text)) {
      state.after = state.last.reply.kind;
      if (state.after !== "policy") state.previous = null;
      else if (state.last.reply.citations.length) state.previous = state.last.text;
    }
    state.lastText = text;
    try {
      const body = { text, profile: state.profile, after: state.after, previous: state.previous };
      const suggestion = await api("POST", "/api/assist/suggest", body);
      if (seq !== state.seq) return;  // a newer keystroke's answer wins
      showError("");
      render(suggestion);
    } catch (error) {
      if (error.message !== "unauthorized") showError(error.message);
    }
  }

  function highlighted(segments) {
    return segments.map((s) => (s.hit ? el("mark", { textContent: s.text }) : document.createTextNode(s.text)));
  }

  function citation(p) {
    return el("span", { className: "cite", textContent: `《${p.title}》${p.doc_number ? `（${p.doc_number}）` : ""}${p.section}` });
  }

  function render(s) {
    state.last = s;
    state.labels = s.profile_labels || state.labels;
    $("intent").textContent = s.intent.name || "—";
    $("confidence").textContent = s.intent.confidence != null ? `置信度 ${s.intent.confidence.toFixed(2)}` : "";
    $("entities").replaceChildren(...s.entities.map((e) => el("li", { textContent: `${e.entity}：${e.value}` })));
    show("intent-card", true);

    $("reply").textContent = s.reply.text;
    show("reply-card", Boolean(s.reply.text));

    const calc = s.calculator;
    $("calc-total").textContent = calc.total_yuan != null ? `合计 ${calc.total_yuan} 元` : (calc.explanation || "");
    $("calc-items").replaceChildren(...calc.items.map((item) => el("li", {},
      `${item.name}：${item.amount_yuan != null ? `${item.amount_yuan} 元` : "—"}（${item.payee}）`,
      el("br"), el("span", { className: "cite", textContent: `依据 ${item.basis.doc_id} ${item.basis.clause}` }))));
    $("calc-questions").replaceChildren(...calc.questions.map((q) => el("li", {},
      el("span", { textContent: q.question || state.labels[q.field] || q.field }), " ",
      copyButton(() => q.question || ""))));
    show("calc-missing", calc.questions.length > 0);
    show("calc-card", calc.items.length > 0 || calc.questions.length > 0 || calc.total_yuan != null);

    $("passages").replaceChildren(...s.passages.map((p) => el("li", {},
      p.summary_segments ? el("p", { className: "summary" }, ...highlighted(p.summary_segments)) : "",
      el("p", { className: "quote" }, ...highlighted(p.segments)),
      citation(p), " ", copyButton(() => `${p.summary || p.text}\n${citation(p).textContent}`))));
    show("passages-card", s.passages.length > 0);

    const courses = s.courses;
    $("courses-place").textContent = courses ? courses.place || "" : "";
    $("courses").replaceChildren(...(courses ? courses.items : []).map((c) => el("li", {},
      `${c.institution}「${c.course}」${c.distance_km} 公里，${c.start_date} 开课，${c.subsidized ? "有补贴" : "自费"}，电话 ${c.phone || "—"}`)));
    show("courses-card", Boolean(courses && courses.items.length));

    state.profile = s.profile;
    renderProfile();
    state.log.push({ time: new Date().toISOString(), text: s.text, intent: s.intent.name,
      reply: s.reply.text, total_yuan: calc.total_yuan, profile: { ...s.profile } });
    $("log-count").textContent = `${state.log.length} 条`;
  }

  function renderProfile() {
    const rows = Object.entries(state.profile).flatMap(([field, value]) => [
      el("dt", { textContent: state.labels[field] || field }),
      el("dd", { textContent: typeof value === "boolean" ? YES_NO[value] : String(value) }),
    ]);
    $("profile").replaceChildren(...rows);
  }

  // --- copy, reset, join, export -------------------------------------------------------------------------
  function copyButton(text) {
    const button = el("button", { type: "button", className: "copy", textContent: "复制" });
    button.addEventListener("click", () => copy(text()));
    return button;
  }

  async function copy(text) {
    try { await navigator.clipboard.writeText(text); } catch {
      const area = el("textarea", { value: text });
      document.body.append(area); area.select(); document.execCommand("copy"); area.remove();
    }
  }

  function newCall() {
    state.profile = {}; state.last = null; state.lastText = ""; state.after = null; state.previous = null; state.seq++;
    $("text").value = "";
    for (const id of ["intent-card", "reply-card", "calc-card", "passages-card", "courses-card", "transcript-card"]) show(id, false);
    renderProfile(); showError("");
    $("text").focus();
  }

  async function join(event) {
    event.preventDefault();
    const sender = $("join-sender").value.trim();
    if (!sender) return;
    try {
      const data = await api("GET", `/api/assist/conversation/${encodeURIComponent(sender)}`);
      $("transcript").replaceChildren(...data.transcript.map((t) =>
        el("li", { className: t.role, textContent: `${t.role === "user" ? "来电人" : "助手"}：${t.text}` })));
      show("transcript-card", true);
      state.profile = data.profile;
      if (data.suggestion) { $("text").value = data.suggestion.text; render(data.suggestion); } else renderProfile();
    } catch (error) {
      if (error.message !== "unauthorized") showError(error.message);
    }
  }

  function download(name, type, content) {
    const link = el("a", { href: URL.createObjectURL(new Blob([content], { type })), download: name });
    document.body.append(link); link.click(); link.remove();
  }

  const stamp = () => new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
  const csvCell = (value) => `"${String(value ?? "").replace(/"/g, '""')}"`;

  function exportJson() {
    download(`assist-log-${stamp()}.json`, "application/json", JSON.stringify(state.log, null, 2));
  }

  function exportCsv() {
    const header = ["time", "text", "intent", "total_yuan", "reply", "profile"];
    const rows = state.log.map((r) => [r.time, r.text, r.intent, r.total_yuan, r.reply, JSON.stringify(r.profile)]);
    // BOM: spreadsheet programs then read the Chinese as UTF-8
    download(`assist-log-${stamp()}.csv`, "text/csv", "\ufeff" + [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n"));
  }

  function shortcuts(event) {
    if (event.ctrlKey && event.key === "Enter") { event.preventDefault(); if (state.last) copy(state.last.reply.text); }
    else if (event.key === "Escape") { $("text").value = ""; $("text").focus(); }
    else if (event.altKey && (event.key === "n" || event.key === "N" || event.code === "KeyN")) { event.preventDefault(); newCall(); }
  }

  $("sign-in").addEventListener("submit", signIn);
  $("sign-out").addEventListener("click", () => signOut());
  $("text").addEventListener("input", schedule);
  $("join").addEventListener("submit", join);
  $("new-call").addEventListener("click", newCall);
  $("reset-profile").addEventListener("click", newCall);
  $("export-json").addEventListener("click", exportJson);
  $("export-csv").addEventListener("click", exportCsv);
  document.querySelector("[data-copy=reply]").addEventListener("click", () => state.last && copy(state.last.reply.text));
  document.addEventListener("keydown", shortcuts);
  if (token()) enterPane();
})();
