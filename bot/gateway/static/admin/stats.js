// The office's numbers: signs in with the operator token (kept for the browser tab, so one sign-in serves
// all the operator pages), reads GET /api/admin/stats for the chosen days and draws the daily
// chart with Chart.js; 导出 CSV downloads /api/admin/stats/csv.
import { $, el, enterPane, fail, message, request, show, signIn } from "/static/operator/operator.js";

const API = "/api/admin/stats";
const COLOURS = {
  answered: "#1a6f4c", declined: "#d08c1f", fallback: "#b23a2e", clarify: "#7a5bb5", handoff: "#2f6fb2", other: "#a8b3ad",
};
let chart = null;

const percent = (value) => (value === null || value === undefined ? "—" : `${(value * 100).toFixed(1)}%`);

// --- period ------------------------------------------------------------------------------------------
function beijingToday() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

function daysBefore(day, days) {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - days);
  return date.toISOString().slice(0, 10);
}

function setDays(days) {
  const today = beijingToday();
  $("until").value = today;
  $("since").value = daysBefore(today, days - 1);
}

const query = () => `?${new URLSearchParams({ since: $("since").value, until: $("until").value })}`;

// --- rendering ---------------------------------------------------------------------------------------
function figure(label, value, note) {
  return el("div", { className: "figure" },
    el("dt", { textContent: label }),
    el("dd", {}, value, ...(note ? [" ", el("small", { textContent: note })] : [])));
}

function renderSummary(data) {
  const total = data.total;
  const feedback = data.feedback;
  const outcome = (name) => figure(data.outcome_labels[name], percent(total.shares[name]), `${total.outcomes[name]} 条`);
  $("range").textContent = `${data.since} 至 ${data.until}`;
  $("figures").replaceChildren(
    figure("会话", String(total.conversations)),
    figure("消息", String(total.turns)),
    outcome("answered"),
    outcome("declined"),
    outcome("fallback"),
    outcome("handoff"),
    figure("评价“有帮助”", percent(feedback.helpful_share), `${feedback.helpful} / ${feedback.given} 条评价`),
    figure("评价率", percent(feedback.rate), `${feedback.given} 条评价 / ${feedback.turns} 条消息`),
    figure("评价附了原因", String(feedback.with_reason)),
  );
  show("summary-card", true);
}

function renderChart(data) {
  const days = data.by.day;
  const outcomes = Object.keys(data.outcome_labels);
  const config = {
    type: "bar",
    data: {
      labels: days.map((d) => d.key.slice(5)),
      datasets: outcomes.map((name) => ({
        label: data.outcome_labels[name],
        data: days.map((d) => d.outcomes[name]),
        backgroundColor: COLOURS[name],
        stack: "turns",
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12, font: { size: 11 } } } },
    },
  };
  if (chart) chart.destroy();
  chart = new window.Chart($("chart"), config);
  show("chart-card", true);
}

// Five figures a row fit a 360 px screen; the CSV export has every outcome.
function table(id, rows, label) {
  const head = el("tr", {}, ...[label, "会话", "消息", "已回答", "拒答", "转人工"].map((text) => el("th", { scope: "col", textContent: text })));
  const body = rows.map((row) => el("tr", {},
    el("td", { textContent: row.label }),
    el("td", { textContent: String(row.conversations) }),
    el("td", { textContent: String(row.turns) }),
    el("td", { textContent: percent(row.shares.answered) }),
    el("td", { textContent: percent(row.shares.declined) }),
    el("td", { textContent: percent(row.shares.handoff) })));
  if (!body.length) body.push(el("tr", {}, el("td", { colSpan: 6, textContent: "这段时间没有消息。" })));
  $(id).replaceChildren(el("thead", {}, head), el("tbody", {}, ...body));
}

function renderUnanswered(groups) {
  const items = groups.map((group) => {
    const item = el("li", {}, group.text,
      el("span", { className: "count", textContent: `${group.turns} 次 · ${group.conversations} 个会话` }));
    if (group.wordings.length) item.append(el("span", { className: "wordings", textContent: `也这样问：${group.wordings.join("；")}` }));
    return item;
  });
  if (!items.length) items.push(el("li", { textContent: "这段时间没有没能回答的问题。" }));
  $("unanswered").replaceChildren(...items);
  show("unanswered-card", true);
}

function render(data) {
  message("notice", data.behind ? `会话存储里还有 ${data.behind} 条新记录没有整理进统计，数字可能偏少；稍后点“查看”会继续整理。` : "");
  renderSummary(data);
  renderChart(data);
  table("by-day", data.by.day, "日期");
  renderUnanswered(data.unanswered);
  table("by-channel", data.by.channel, "渠道");
  table("by-campaign", data.by.campaign, "活动");
  table("by-place", data.by.place, "地区");
  show("dimensions-card", true);
}

// --- actions -----------------------------------------------------------------------------------------
async function busy(work) {
  const buttons = document.querySelectorAll("main button");
  buttons.forEach((b) => { b.disabled = true; });
  message("error", "");
  try { await work(); } catch (error) { fail(error); } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
}

async function load() {
  try {
    const data = await (await request(API + query())).json();
    enterPane();
    render(data);
  } catch (error) {
    if (error.code !== "unauthorized") { enterPane(); fail(error); }
  }
}

async function exportCsv() {
  const response = await request(`${API}/csv${query()}`);
  const link = el("a", {
    href: URL.createObjectURL(await response.blob()),
    download: `咨询统计-${$("since").value}-${$("until").value}.csv`,
  });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

$("period").addEventListener("submit", (event) => { event.preventDefault(); busy(load); });
document.querySelectorAll("[data-days]").forEach((button) => {
  button.addEventListener("click", () => { setDays(Number(button.dataset.days)); busy(load); });
});
$("export").addEventListener("click", () => busy(exportCsv));
setDays(30);
signIn(load);
