// H5 chat page: talks to POST /api/chat, keeps the visitor (sender_id) and the transcript in
// localStorage, and sends the poster's entry context only after POST /api/entry has verified it.
// Each answer to a message the visitor sent can be marked 有帮助 / 没帮助 (POST /api/feedback, with the
// answer's turn and an optional reason); the verdict is kept with the transcript.
"use strict";

(function () {
  const STORE = { sender: "zyjn.sender_id", history: "zyjn.history", context: "zyjn.entry_context" };
  const ENTRY_KEYS = ["channel", "region", "role", "campaign", "sig"];
  const MAX_HISTORY = 60;
  const GREET_TRIGGER = "/greet";

  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const input = document.getElementById("message");
  const sendButton = document.getElementById("send");
  const notice = document.getElementById("notice");
  // The HOTLINE setting, filled in by the server when it serves the page.
  const HOTLINE = document.querySelector('meta[name="hotline"]').content;
  const regionBadge = document.getElementById("region");

  function readJson(key, fallback) {
    try {
      const value = JSON.parse(localStorage.getItem(key));
      return value === null ? fallback : value;
    } catch (error) {
      return fallback;
    }
  }

  function senderId() {
    let id = localStorage.getItem(STORE.sender);
    if (!id) {
      const bytes = new Uint8Array(12);
      crypto.getRandomValues(bytes);
      id = "h5-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
      localStorage.setItem(STORE.sender, id);
    }
    return id;
  }

  async function postJson(path, body) {
    const response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(path + " " + response.status);
    return response.json();
  }

  function showNotice(text) {
    notice.textContent = text;
    notice.hidden = false;
  }

  // The entry context of this visit: freshly verified from the URL, else the one verified before.
  async function entryContext(sender) {
    const query = new URLSearchParams(location.search);
    if (query.has("sig")) {
      const params = {};
      ENTRY_KEYS.forEach((key) => query.has(key) && (params[key] = query.get(key)));
      try {
        const result = await postJson("/api/entry", { sender_id: sender, params: params });
        if (result.valid) {
          localStorage.setItem(STORE.context, JSON.stringify(result.context));
          return result.context;
        }
        localStorage.removeItem(STORE.context);
        showNotice("二维码链接校验未通过，已按普通咨询为您打开。");
        return {};
      } catch (error) {
        return {};
      }
    }
    return readJson(STORE.context, {});
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function scrollDown() {
    log.scrollTop = log.scrollHeight;
  }

  function renderUser(text) {
    const turn = element("div", "turn user");
    turn.appendChild(element("div", "bubble", text));
    log.appendChild(turn);
  }

  function renderCourse(course) {
    const card = element("article", "card");
    const title = element("h3", null, course.course || course.occupation || "");
    if (course.subsidized) title.appendChild(element("span", "tag", "可享补贴"));
    card.appendChild(title);
    if (course.institution) card.appendChild(element("p", null, course.institution));
    const where = [course.address, course.distance_km != null ? course.distance_km + " 公里" : null].filter(Boolean);
    if (where.length) card.appendChild(element("p", null, where.join(" · ")));
    if (course.start_date) card.appendChild(element("p", null, "开课 " + course.start_date + (course.end_date ? " 至 " + course.end_date : "")));
    if (course.phone) {
      const line = element("p", null, "电话 ");
      const link = element("a", null, course.phone);
      link.href = "tel:" + course.phone;
      line.appendChild(link);
      card.appendChild(line);
    }
    return card;
  }

  function renderCitations(citations) {
    const details = element("details", "citations");
    details.appendChild(element("summary", null, "政策依据（" + citations.length + " 条）"));
    const list = element("ol");
    citations.forEach((c) => {
      const item = element("li");
      item.appendChild(element("strong", null, c.title));
      if (c.section) item.appendChild(document.createTextNode(" " + c.section));
      item.appendChild(element("q", null, c.text));
      list.appendChild(item);
    });
    details.appendChild(list);
    return details;
  }

  function feedbackMessage(text) {
    return element("p", "feedback-note", text);
  }

  // Sends the verdict; returns the server's Chinese message when it was refused, else null.
  async function sendFeedback(turn, helpful, reason) {
    try {
      const response = await fetch("/api/feedback", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender_id: sender, turn: turn, helpful: helpful, reason: reason || null }),
      });
      if (response.ok) return null;
      const data = await response.json().catch(() => ({}));
      return (data.error && data.error.message) || "评价没有提交成功，请稍后再试。";
    } catch (error) {
      return "网络不太稳定，评价没有提交成功，请稍后再试。";
    }
  }

  function keepVerdict(turn, verdict) {
    const history = readJson(STORE.history, []);
    history.forEach((entry) => {
      if (entry.bot && entry.bot.turn === turn) entry.bot.feedback = verdict;
    });
    localStorage.setItem(STORE.history, JSON.stringify(history));
  }

  function thanked(box, verdict) {
    const text = verdict.helpful ? "谢谢您的评价！" : "谢谢您告诉我们，我们会据此改进。";
    box.replaceChildren(feedbackMessage(text));
  }

  function reasonForm(box, turn) {
    const form = element("form", "feedback-reason");
    const label = element("label", "visually-hidden", "没帮助的原因");
    const input = element("input");
    input.id = "reason-" + turn;
    label.htmlFor = input.id;
    input.maxLength = 200;
    input.placeholder = "哪里没帮到您？（可不填）";
    const submit = element("button", null, "提交");
    submit.type = "submit";
    const error = element("p", "feedback-error");
    error.hidden = true;
    form.append(label, input, submit, error);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const reason = input.value.trim();
      if (!reason) return thanked(box, { helpful: false });
      submit.disabled = true;
      const refused = await sendFeedback(turn, false, reason);
      submit.disabled = false;
      if (refused) {
        error.textContent = refused;
        error.hidden = false;
        return;
      }
      keepVerdict(turn, { helpful: false, reason: reason });
      thanked(box, { helpful: false });
    });
    return form;
  }

  // 有帮助 / 没帮助 under an answer; 没帮助 is recorded at once, then a reason may be added.
  function renderFeedback(turn, verdict) {
    const box = element("div", "feedback");
    box.dataset.turn = turn;
    if (verdict) {
      thanked(box, verdict);
      return box;
    }
    const yes = element("button", "feedback-yes", "有帮助");
    const no = element("button", "feedback-no", "没帮助");
    const error = element("p", "feedback-error");
    error.hidden = true;
    [yes, no].forEach((button) => {
      button.type = "button";
      button.addEventListener("click", async () => {
        const helpful = button === yes;
        yes.disabled = no.disabled = true;
        const refused = await sendFeedback(turn, helpful);
        if (refused) {
          yes.disabled = no.disabled = false;
          error.textContent = refused;
          error.hidden = false;
          return;
        }
        keepVerdict(turn, { helpful: helpful });
        if (helpful) thanked(box, { helpful: true });
        else box.replaceChildren(feedbackMessage("抱歉没能帮到您。"), reasonForm(box, turn));
      });
    });
    box.append(element("span", "feedback-label", "这个回答"), yes, no, error);
    return box;
  }

  function renderBot(response) {
    (response.messages || []).forEach((message) => {
      if (message.text) {
        const turn = element("div", "turn bot");
        turn.appendChild(element("div", "bubble", message.text));
        log.appendChild(turn);
      }
      const courses = (message.custom && message.custom.courses) || [];
      if (courses.length) {
        const cards = element("div", "cards");
        courses.forEach((course) => cards.appendChild(renderCourse(course)));
        log.appendChild(cards);
      }
      if (message.buttons && message.buttons.length) {
        const quick = element("div", "quick");
        message.buttons.forEach((button) => {
          const chip = element("button", null, button.title);
          chip.type = "button";
          chip.addEventListener("click", () => send(button.payload || button.title, button.title));
          quick.appendChild(chip);
        });
        log.appendChild(quick);
      }
    });
    if (response.citations && response.citations.length) log.appendChild(renderCitations(response.citations));
    if (response.turn) log.appendChild(renderFeedback(response.turn, response.feedback));
  }

  function remember(entry) {
    const history = readJson(STORE.history, []);
    history.push(entry);
    localStorage.setItem(STORE.history, JSON.stringify(history.slice(-MAX_HISTORY)));
  }

  let sender = null;
  let metadata = {};

  async function send(message, shown) {
    if (shown) {
      renderUser(shown);
      remember({ user: shown });
    }
    sendButton.disabled = true;
    const typing = element("p", "typing", "正在输入…");
    log.appendChild(typing);
    scrollDown();
    try {
      const response = await postJson("/api/chat", { sender_id: sender, message: message, metadata: metadata });
      // Only answers to what the visitor sent can be rated (not the greeting the page asks for).
      const kept = { messages: response.messages, citations: response.citations, turn: shown ? response.turn : null };
      renderBot(kept);
      remember({ bot: kept });
    } catch (error) {
      const turn = element("div", "turn bot");
      turn.appendChild(element("div", "bubble", "网络不太稳定，请稍后再试，或拨打 " + HOTLINE + " 人社服务热线。"));
      log.appendChild(turn);
    } finally {
      typing.remove();
      sendButton.disabled = false;
      scrollDown();
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text, text);
  });

  async function start() {
    sender = senderId();
    const context = await entryContext(sender);
    metadata = Object.assign({}, context, { channel: "h5" });
    if (context.region) {
      regionBadge.textContent = context.region;
      regionBadge.hidden = false;
    }
    const history = readJson(STORE.history, []);
    history.forEach((entry) => (entry.user ? renderUser(entry.user) : renderBot(entry.bot)));
    scrollDown();
    if (!history.length) await send(GREET_TRIGGER);
  }

  start();
})();
