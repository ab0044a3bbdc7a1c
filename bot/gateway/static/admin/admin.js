// Knowledge operator page: upload a policy document, check what was detected, save it; list, retire or
// remove documents; test what the assistant answers. Everything goes through /api/admin/knowledge.
import { $, ApiError, el, enterPane, fail, jsonApi, message, show, signIn } from "/static/operator/operator.js";

const api = jsonApi("/api/admin/knowledge");
// given: the fields the operator typed (sent as the intake's options); draft: the last preview
const state = { file: null, given: {}, draft: null, documents: [], maxUpload: 0 };

async function busy(text, work) {
  const buttons = document.querySelectorAll("main button");
  buttons.forEach((b) => { b.disabled = true; });
  message("error", ""); message("notice", text);
  try { await work(); } catch (error) { message("notice", ""); fail(error); } finally {
    buttons.forEach((b) => { b.disabled = false; });
    $("save").disabled = !state.draft;
  }
}

// --- sign-in -----------------------------------------------------------------------------------------
async function start() {
  try {
    await loadDocuments();
    enterPane();
  } catch (error) {
    if (error.code !== "unauthorized") { enterPane(); fail(error); }
  }
}

// --- upload, preview, save ---------------------------------------------------------------------------
function readBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(",", 2)[1] || "");
    reader.onerror = () => reject(new ApiError("无法读取所选文件。"));
    reader.readAsDataURL(file);
  });
}

async function uploadBody() {
  const file = state.file;
  if (state.maxUpload && file.size > state.maxUpload) {
    throw new ApiError(`文件有 ${Math.ceil(file.size / 1024)} KB，网页上传最多 ${Math.floor(state.maxUpload / 1024)} KB` +
      "（由设置 MAX_REQUEST_BYTES 决定）。更大的文件请用命令 python -m bot knowledge add 录入。");
  }
  const note = $("note").value.trim();
  return { filename: file.name, content: await readBase64(file), fields: { ...state.given, notes: note ? [note] : [] } };
}

function fieldRow(key, label, value, source, missing) {
  const input = el("input", { id: `field-${key}`, value: value ?? "", placeholder: missing ? "原文里没有，请填写" : "—" });
  input.dataset.key = key;
  if (key in state.given) input.value = state.given[key];
  input.addEventListener("input", () => { state.given[key] = input.value.trim(); });
  return el("div", { className: missing ? "field missing" : "field" },
    el("label", { htmlFor: input.id, textContent: label }), input,
    el("span", { className: "source", textContent: missing ? "需填写" : source }));
}

function renderDraft(draft) {
  state.draft = draft;
  $("draft-id").textContent = `${draft.doc_id} · ${draft.region_chain.join(" / ")} · ${draft.status_label}`;
  $("fields").replaceChildren(...draft.fields.map((f) => fieldRow(f.key, f.label, f.value, f.source, false)));
  $("notes").textContent = draft.notes || "";
  show("notes-box", Boolean(draft.notes));
  $("passage-count").textContent = `${draft.passages.length} 个`;
  $("passages").replaceChildren(...draft.passages.map((p) => el("li", {},
    el("span", { className: "cite", textContent: `${p.passage_id} ${p.section}` }), " ", p.text)));
  show("passages-box", true);
  const hints = draft.hints.map((h) => `提示：${h.doc_id} 被本文件取代，保存后可在列表里把它停用（有效期至 ${h.in_force_until}，被取代于 ${h.replaced_by}）。`);
  message("notice", hints.join("\n"));
  show("draft", true);
}

function renderMissing(error) {
  state.draft = null;
  $("draft-id").textContent = "";
  $("fields").replaceChildren(...error.details.fields.map((f) => fieldRow(f.key, f.label, "", "", true)));
  show("notes-box", false); show("passages-box", false); show("draft", true);
  message("error", error.message);
}

async function detect(event) {
  event?.preventDefault();
  const file = $("file").files[0];
  if (!file) return;
  if (file !== state.file) { state.file = file; state.given = {}; }
  await busy("正在识别……", async () => {
    try {
      renderDraft(await api("POST", "/preview", await uploadBody()));
    } catch (error) {
      if (error.code !== "missing_fields") throw error;
      message("notice", "");
      renderMissing(error);
    }
  });
}

async function save() {
  if (!state.draft) return;
  await busy("正在保存并更新检索索引，请稍候……", async () => {
    const saved = await api("POST", "", await uploadBody());
    resetDraft();
    await loadDocuments();
    message("notice", `已保存 ${saved.document.doc_id}，检索索引已更新（${saved.index.documents} 份文件，${saved.index.passages} 个段落）；助手已按新的知识库回答。`);
  });
}

function resetDraft() {
  state.file = null; state.given = {}; state.draft = null;
  $("upload").reset(); $("note").value = "";
  show("draft", false);
}

// --- documents: list, retire, remove -----------------------------------------------------------------
async function loadDocuments() {
  const data = await api("GET", "");
  state.documents = data.documents;
  state.maxUpload = data.max_upload_bytes;
  $("doc-count").textContent = `${data.documents.length} 份`;
  $("documents").replaceChildren(...data.documents.map(documentItem));
}

function dates(d) {
  const span = d.in_force_from || d.in_force_until ? `施行 ${d.in_force_from || "日期不详"} 至 ${d.in_force_until || "未定"}` : "有效期不详";
  return [d.doc_id, d.region, d.doc_number || "无文号", `成文 ${d.date}`, span, `段落 ${d.passages}，通俗解读 ${d.summaries}`].join(" · ");
}

function documentItem(d) {
  const until = el("input", { type: "date", name: "in_force_until", value: d.in_force_until?.length === 10 ? d.in_force_until : "" });
  const replacedBy = el("select", { name: "replaced_by" }, el("option", { value: "", textContent: "（无）" }),
    ...state.documents.filter((o) => o.doc_id !== d.doc_id).map((o) => el("option", { value: o.doc_id, textContent: `${o.doc_id} ${o.short_title}` })));
  replacedBy.value = d.replaced_by || "";
  const caveat = el("textarea", { name: "caveat", rows: 2, maxLength: 200, value: d.caveat || "",
    placeholder: "例如：其中某项条件已被后来的文件放宽，不能当作现行规定" });
  const form = el("form", { className: "retire-form", hidden: true },
    el("label", {}, "有效期至", until), el("label", {}, "被取代于", replacedBy),
    el("label", {}, "回答时的提醒", caveat),
    el("button", { type: "submit", className: "primary", textContent: "保存" }));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    retire(d, until.value, replacedBy.value, caveat.value.trim());
  });
  const retireButton = el("button", { type: "button", className: "retire", textContent: "停用 / 替代 / 提醒" });
  retireButton.addEventListener("click", () => { form.hidden = !form.hidden; });
  const removeButton = el("button", { type: "button", className: "remove", textContent: "删除" });
  removeButton.addEventListener("click", () => remove(d));
  const item = el("li", { className: "document" },
    el("div", { className: "doc-head" }, el("strong", { textContent: d.short_title }),
      el("span", { className: `status status-${d.status}`, textContent: d.status_label })),
    el("p", { className: "muted", textContent: dates(d) }),
    ...(d.caveat ? [el("p", { className: "caveat", textContent: `回答时提醒：${d.caveat}` })] : []),
    el("div", { className: "row" }, retireButton, removeButton), form);
  item.dataset.doc = d.doc_id;
  return item;
}

async function retire(d, until, replacedBy, caveat) {
  const changes = {};
  if (until !== (d.in_force_until || "")) changes.in_force_until = until || null;
  if (replacedBy !== (d.replaced_by || "")) changes.replaced_by = replacedBy || null;
  if (caveat !== (d.caveat || "")) changes.caveat = caveat || null;
  if (!Object.keys(changes).length) { message("error", "没有改动：请填写有效期至、选择取代它的文件，或修改回答时的提醒。"); return; }
  await busy("正在保存并更新检索索引……", async () => {
    const saved = await api("POST", `/${encodeURIComponent(d.doc_id)}/lifecycle`, changes);
    await loadDocuments();
    message("notice", `已更新 ${d.doc_id}：${saved.document.status_label}。`);
  });
}

async function remove(d) {
  if (!window.confirm(`删除 ${d.doc_id}（${d.title}）？删除后助手不再引用它。`)) return;
  await busy("正在删除并更新检索索引……", async () => {
    await api("DELETE", `/${encodeURIComponent(d.doc_id)}`);
    await loadDocuments();
    message("notice", `已删除 ${d.doc_id}。`);
  });
}

// --- hit test ------------------------------------------------------------------------------------------
async function hitTest(event) {
  event.preventDefault();
  const body = { question: $("question").value.trim(), place: $("place").value.trim() || null };
  await busy("", async () => {
    const result = await api("POST", "/hit-test", body);
    $("answer-kind").textContent = result.place ? `（按${result.place}的提问人）` : "（所在地未知）";
    $("answer").textContent = result.answer.text;
    $("hit-passages").replaceChildren(...result.passages.map((p) => el("li", {},
      el("span", { className: "cite", textContent: `《${p.title}》${p.doc_number ? `（${p.doc_number}）` : ""}${p.section} · ${p.region} · ${p.status_label} · ${p.score.toFixed(3)}` }),
      el("br"), p.text)));
    show("hit-result", true);
  });
}

$("upload").addEventListener("submit", detect);
$("redetect").addEventListener("click", () => detect());
$("save").addEventListener("click", save);
$("cancel").addEventListener("click", () => { resetDraft(); message("notice", ""); message("error", ""); });
$("hit").addEventListener("submit", hitTest);
signIn(start);
