// H5 chat page: talks to POST /api/chat, keeps the visitor (sender_id) and the transcript in
// localStorage, and sends the poster's entry context only after POST /api/entry has verified it.
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
      const kept = { messages: response.messages, citations: response.citations };
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
