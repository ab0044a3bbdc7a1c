// Review console: real users' messages with filters, a conversation turn by turn, relabelling a message
// and marking an answer. Everything goes through /api/admin/review with the operator token of the
// knowledge page (the same sign-in: one token for the operator pages in this tab).
import { $, el, enterPane, fail, jsonApi, message, show, signIn } from "/static/operator/operator.js";

// A refused request's message, with what was wrong in each field.
const describe = (error, status) => {
  const detail = (error?.details || []).map((d) => `${d.field}：${d.problem}`).join("；");
  return error?.message ? `${error.message}${detail ? `（${detail}）` : ""}` : `请求失败（HTTP ${status}）`;
};
const api = jsonApi("/api/admin/review", describe);
const state = { vocabulary: null, cursor: null, listScroll: 0 };

// --- sign-in (as /admin/knowledge) ------------------------------------------------------------------
async function start() {
  try {
    await loadVocabulary();
  } catch (error) {
    if (error.code === "unauthorized") return;
    fail(error);
  }
  enterPane();
  await loadList().catch(fail);
}

// --- filters ------------------------------------------------------------------------------------------
async function loadVocabulary() {
  const v = await api("GET", "/vocabulary");
  state.vocabulary = v;
  const fill = (id, items) => $(id).replaceChildren(el("option", { value: "", textContent: "全部" }),
    ...items.map((i) => el("option", { value: i.value ?? i, textContent: i.label ?? i })));
  fill("f-outcome", v.outcomes);
  fill("f-channel", v.channels.map((c) => ({ value: c, label: CHANNELS[c] || c })));
  fill("f-campaign", v.campaigns);
  fill("f-place", v.places);
}

const CHANNELS = { h5: "H5 页面", miniprogram: "小程序", api: "接口" };

// A date picked in the operator's time zone, as the UTC instant it starts at.
const dayStart = (value, plusDays = 0) => {
  const [y, m, d] = value.split("-").map(Number);
  return new Date(y, m - 1, d + plusDays).toISOString();
};

function query() {
  const params = new URLSearchParams();
  for (const [key, id] of [["outcome", "f-outcome"], ["channel", "f-channel"], ["campaign", "f-campaign"], ["place", "f-place"]]) {
    if ($(id).value) params.set(key, $(id).value);
  }
  if ($("f-since").value) params.set("since", dayStart($("f-since").value));
  if ($("f-until").value) params.set("until", dayStart($("f-until").value, 1));
  if ($("f-low").checked) params.set("max_confidence", $("f-threshold").value || "0.6");
  if ($("f-negative").checked) params.set("negative_feedback", "true");
  return params;
}

// --- list ---------------------------------------------------------------------------------------------
const time = (iso) => new Date(iso).toLocaleString("zh-CN", { hour12: false });
const percent = (x) => (x === null || x === undefined ? "—" : `${Math.round(x * 100)}%`);
const LOW = 0.6;

function outcomeBadge(t) {
  return el("span", { className: `outcome outcome-${t.outcome}`, textContent: t.outcome_label });
}

function meta(t) {
  const where = [CHANNELS[t.channel] || t.channel, t.campaign, t.place].filter(Boolean).join(" · ");
  return el("div", { className: "meta" }, outcomeBadge(t), el("span", { textContent: time(t.at) }),
    where ? el("span", { textContent: where }) : null,
    el("span", { className: t.confidence !== null && t.confidence < LOW ? "low" : "", textContent: `${t.intent || "—"} ${percent(t.confidence)}` }));
}

function listItem(t) {
  const open = el("button", { type: "button", textContent: "查看对话" });
  open.addEventListener("click", () => openConversation(t.id));
  const item = el("li", {}, meta(t),
    el("p", { className: "said", textContent: t.text }),
    t.bot_text ? el("p", { className: "reply", textContent: t.bot_text }) : null,
    el("div", { className: "meta" }, el("span", { textContent: `${t.sender} · 第 ${t.turn} 轮` }), open));
  item.dataset.turnId = t.id;
  item.dataset.sender = t.sender;
  item.dataset.outcome = t.outcome;
  return item;
}

async function loadList(more = false) {
  const params = query();
  if (more && state.cursor) params.set("cursor", state.cursor);
  message("error", "");
  const page = await api("GET", `/turns?${params}`);
  const items = page.turns.map(listItem);
  if (more) $("turns").append(...items); else $("turns").replaceChildren(...items);
  state.cursor = page.next_cursor;
  show("more", Boolean(page.next_cursor));
  show("empty", !more && !page.turns.length);
  $("list-note").textContent = page.behind ? `（还有 ${page.behind.toLocaleString()} 条新记录在整理，稍后刷新可见）` : "";
}

// --- conversation -------------------------------------------------------------------------------------
async function openConversation(turnId) {
  message("error", ""); message("notice", "");
  try {
    const c = await api("GET", `/conversations/${turnId}`);
    state.listScroll = window.scrollY;
    renderConversation(c);
    show("list-view", false); show("conversation-view", true);
    const selected = document.querySelector(".conversation > li.selected");
    if (selected) selected.scrollIntoView({ block: "start" }); else window.scrollTo(0, 0);
  } catch (error) { fail(error); }
}

function backToList() {
  show("conversation-view", false); show("list-view", true);
  message("notice", "");
  window.scrollTo(0, state.listScroll);
}

function renderConversation(c) {
  const first = c.turns[0] || {};
  $("conversation-head").textContent = [c.sender, CHANNELS[first.channel] || first.channel, first.campaign, first.place].filter(Boolean).join(" · ");
  $("conversation").replaceChildren(...c.turns.map((t) => turnItem(t, t.id === c.selected)));
}

function fact(term, ...value) { return [el("dt", { textContent: term }), el("dd", {}, ...value)]; }

function turnItem(t, selected) {
  const entities = t.entities.length ? t.entities.map((e) => el("span", { className: "chip", textContent: `${e.value}：${e.entity}` })) : ["—"];
  const slots = Object.entries(t.slots).filter(([, v]) => v !== null && v !== "" && !(Array.isArray(v) && !v.length));
  const facts = el("dl", { className: "facts" },
    ...fact("意图", el("span", { className: t.confidence !== null && t.confidence < LOW ? "low" : "", textContent: `${t.intent || "—"}（置信度 ${percent(t.confidence)}）` })),
    ...fact("实体", ...entities),
    ...fact("动作", t.actions.join("、") || "—"),
    ...fact("回答类型", t.answer_kind || "—"));
  const cites = t.citations.length ? el("details", {}, el("summary", { textContent: `引用的条款（${t.citations.length}）` }),
    el("ol", { className: "cites" }, ...t.citations.map((q) => el("li", {},
      el("span", { className: "cite", textContent: `《${q.title || q.doc_id}》${q.section || ""} ${q.passage_id ? `[${q.passage_id}]` : ""}` }), el("br"), q.text)))) : null;
  const slotBox = slots.length ? el("details", {}, el("summary", { textContent: `这一轮之后的槽位（${slots.length}）` }),
    el("dl", { className: "facts" }, ...slots.flatMap(([k, v]) => fact(k, typeof v === "string" ? v : JSON.stringify(v))))) : null;
  const feedback = t.feedback.map((f) => el("p", { className: f.helpful ? "feedback-good" : "feedback-bad",
    textContent: `用户评价：${f.helpful ? "有帮助" : "没帮助"}${f.reason ? `——${f.reason}` : ""}（${time(f.at)}）` }));
  const labelState = el("p", { className: "label-state" });
  const editors = el("div");
  const relabelButton = el("button", { type: "button", textContent: "重新标注" });
  const verdictButton = el("button", { type: "button", textContent: "评判回答" });
  relabelButton.addEventListener("click", () => editors.replaceChildren(relabelEditor(t, labelState, editors)));
  verdictButton.addEventListener("click", () => editors.replaceChildren(verdictEditor(t, labelState, editors)));
  const item = el("li", { className: selected ? "selected" : "" },
    el("div", { className: "meta" }, outcomeBadge(t), el("span", { textContent: `第 ${t.turn} 轮 · ${time(t.at)}` })),
    el("div", { className: "user", textContent: t.text }),
    facts,
    t.bot_text ? el("div", { className: "bot", textContent: t.bot_text }) : el("p", { className: "muted", textContent: "（助手没有回复）" }),
    cites, slotBox, ...feedback, labelState,
    el("div", { className: "row" }, t.text.startsWith("/") ? null : relabelButton, t.responses.length ? verdictButton : null),
    editors);
  item.dataset.turnId = t.id;
  showLabel(labelState, t.label);
  return item;
}

function showLabel(node, label) {
  const parts = [];
  if (label?.intent) {
    const spans = (label.entities || []).map((e) => `${e.value}：${e.entity}`).join("，");
    parts.push(`已标注：${label.intent}${spans ? `（${spans}）` : ""}`);
  }
  if (label?.verdict) {
    const expect = state.vocabulary.expects.find((x) => x.value === label.expect);
    parts.push(label.verdict === "right" ? "回答已判为正确" : `回答已判为有误${expect ? `：${expect.label}` : ""}`);
  }
  node.textContent = parts.join("；");
  node.hidden = !parts.length;
}

// --- relabel ------------------------------------------------------------------------------------------
function relabelEditor(t, labelState, editors) {
  const spans = (t.label?.entities || t.entities).map((e) => ({ entity: e.entity, start: e.start, end: e.end }))
    .filter((e) => Number.isInteger(e.start) && Number.isInteger(e.end));
  const intent = el("select", { id: `intent-${t.id}` }, ...state.vocabulary.intents.map((i) => el("option", { value: i, textContent: i })));
  intent.value = t.label?.intent || (state.vocabulary.intents.includes(t.intent) ? t.intent : state.vocabulary.intents[0]);
  const chips = el("div");
  const drawChips = () => chips.replaceChildren(...spans.map((s, n) => {
    const remove = el("button", { type: "button", textContent: "×", title: "删除这个实体" });
    remove.addEventListener("click", () => { spans.splice(n, 1); drawChips(); });
    return el("span", { className: "chip" }, `${t.text.slice(s.start, s.end)}：${s.entity} `, remove);
  }));
  drawChips();
  const spanText = el("input", { id: `span-${t.id}`, maxLength: 100, placeholder: "原文中的词，如：叉车证" });
  const spanType = el("select", { id: `span-type-${t.id}` }, ...state.vocabulary.entities.map((e) => el("option", { value: e, textContent: e })));
  const add = el("button", { type: "button", textContent: "添加实体" });
  add.addEventListener("click", () => {
    const words = spanText.value.trim();
    let start = words ? t.text.indexOf(words) : -1;
    while (start >= 0 && spans.some((s) => start < s.end && s.start < start + words.length)) start = t.text.indexOf(words, start + 1);
    if (start < 0) { message("error", words ? `原文里没有“${words}”（或已标注过）。` : "请先填写原文中的词。"); return; }
    message("error", "");
    spans.push({ entity: spanType.value, start, end: start + words.length });
    spans.sort((a, b) => a.start - b.start);
    spanText.value = "";
    drawChips();
  });
  const save = el("button", { type: "button", className: "primary", textContent: "保存标注" });
  save.addEventListener("click", async () => {
    try {
      const result = await api("POST", `/turns/${t.id}/label`, { intent: intent.value, entities: spans });
      t.label = result.label;
      showLabel(labelState, t.label);
      editors.replaceChildren();
      message("error", "");
      message("notice", "标注已保存；导出时进入训练数据或留出评测集。");
    } catch (error) { fail(error); }
  });
  const cancel = el("button", { type: "button", textContent: "取消" });
  cancel.addEventListener("click", () => editors.replaceChildren());
  return el("div", { className: "editor" },
    el("label", { htmlFor: intent.id, textContent: "意图" }), intent,
    el("label", { textContent: "实体" }), chips,
    el("div", { className: "span-row" },
      el("div", {}, el("label", { htmlFor: spanText.id, textContent: "实体文字" }), spanText),
      el("div", {}, el("label", { htmlFor: spanType.id, textContent: "实体类型" }), spanType), add),
    el("div", { className: "row" }, save, cancel));
}

// --- verdict ------------------------------------------------------------------------------------------
function verdictEditor(t, labelState, editors) {
  const name = `verdict-${t.id}`;
  const radio = (value, text) => el("label", {}, el("input", { type: "radio", name, value, checked: (t.label?.verdict || "right") === value }), text);
  const expect = el("select", { id: `expect-${t.id}` }, ...state.vocabulary.expects.map((x) => el("option", { value: x.value, textContent: x.label })));
  expect.value = t.label?.expect || "answer";
  const clauses = el("input", { id: `clauses-${t.id}`, maxLength: 400, placeholder: "条款编号，用逗号分隔，如：pengyang-2026:2.4",
    value: (t.label?.verdict === "wrong" && t.label.clauses || []).join(", ") });
  const note = el("input", { id: `note-${t.id}`, maxLength: 500, placeholder: "可不填", value: t.label?.note || "" });
  const wrongBox = el("div", {}, el("label", { htmlFor: expect.id, textContent: "应当怎样回答" }), expect,
    el("label", { htmlFor: clauses.id, textContent: "能回答它的条款" }), clauses);
  const radios = el("div", { className: "radios" }, radio("right", "答对了"), radio("wrong", "答错了"));
  const chosen = () => radios.querySelector("input:checked").value;
  const toggle = () => { wrongBox.hidden = chosen() !== "wrong"; };
  radios.addEventListener("change", toggle);
  toggle();
  const save = el("button", { type: "button", className: "primary", textContent: "保存评判" });
  save.addEventListener("click", async () => {
    const body = { verdict: chosen(), note: note.value.trim() };
    if (body.verdict === "wrong") {
      body.expect = expect.value;
      body.clauses = clauses.value.split(/[,，\s]+/).filter(Boolean);
    }
    try {
      const result = await api("POST", `/turns/${t.id}/verdict`, body);
      t.label = result.label;
      showLabel(labelState, t.label);
      editors.replaceChildren();
      message("error", "");
      message("notice", "评判已保存；导出时成为真实问题评测用例。");
    } catch (error) { fail(error); }
  });
  const cancel = el("button", { type: "button", textContent: "取消" });
  cancel.addEventListener("click", () => editors.replaceChildren());
  return el("div", { className: "editor" }, radios, wrongBox,
    el("label", { htmlFor: note.id, textContent: "备注" }), note, el("div", { className: "row" }, save, cancel));
}

$("filters").addEventListener("submit", (event) => { event.preventDefault(); loadList().catch(fail); });
$("f-reset").addEventListener("click", () => { $("filters").reset(); loadList().catch(fail); });
$("more").addEventListener("click", () => loadList(true).catch(fail));
$("back").addEventListener("click", backToList);
signIn(start);
