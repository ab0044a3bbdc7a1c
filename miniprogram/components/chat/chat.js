// The chat: talks to POST /api/chat, renders replies, quick replies, course cards and collapsible
// citations, sends the user's location on request, and offers WeChat's customer-service button.
// Each answer to a message the user sent can be marked 有帮助 / 没帮助 (POST /api/feedback with the
// answer's turn; 没帮助 is recorded at once, then a reason may be added).
// The visitor (sender_id) and the transcript, verdicts included, are kept in storage across launches.

const api = require("../../utils/api");
const { sessionFrom } = require("../../utils/entry");

const STORE = { sender: "zyjn.sender_id", history: "zyjn.history", context: "zyjn.entry_context" };
const MAX_HISTORY = 60;
const GREET_TRIGGER = "/greet";
const FIND_COURSE_TRIGGER = "/find_course";
const CHANNEL = "miniprogram";

function newSenderId() {
  let id = "mp-";
  for (let i = 0; i < 24; i += 1) id += Math.floor(Math.random() * 16).toString(16);
  return id;
}

// One bot answer as display items: a bubble per text, then its cards and quick replies; the last
// one carries the citations and, when the answer can be rated, its turn.
function botItems(response, nextId, turn) {
  const items = [];
  (response.messages || []).forEach((message) => {
    const courses = (message.custom && message.custom.courses) || [];
    items.push({
      id: nextId(), from: "bot", text: message.text || "", courses: courses,
      buttons: (message.buttons || []).map((b) => ({ title: b.title, payload: b.payload || b.title })),
      citations: [], expanded: false,
    });
  });
  const citations = response.citations || [];
  if (citations.length) {
    if (!items.length) items.push({ id: nextId(), from: "bot", text: "", courses: [], buttons: [], expanded: false });
    items[items.length - 1].citations = citations;
  }
  if (turn && items.length) Object.assign(items[items.length - 1], { turn: turn, verdict: "", asking: false, reason: "", feedbackError: "" });
  return items;
}

Component({
  properties: {
    apiBase: { type: String, value: "" },
    entryParams: { type: Object, value: {} },
  },

  data: {
    items: [],
    draft: "",
    sending: false,
    region: "",
    sessionFrom: "",
    tampered: false,
  },

  lifetimes: {
    attached() {
      this.start();
    },
  },

  methods: {
    nextId() {
      this.counter = (this.counter || 0) + 1;
      return "m" + Date.now().toString(36) + this.counter;
    },

    async start() {
      this.senderId = wx.getStorageSync(STORE.sender) || newSenderId();
      wx.setStorageSync(STORE.sender, this.senderId);
      const context = await this.entryContext();
      this.metadata = Object.assign({}, context, { channel: CHANNEL });
      const history = wx.getStorageSync(STORE.history) || [];
      this.setData({ items: history, region: context.region || "" });
      if (!history.length) await this.send(GREET_TRIGGER);
    },

    // Fresh entry parameters are verified by the gateway; else the context verified earlier.
    async entryContext() {
      const params = this.data.entryParams || {};
      if (!params.sig) return wx.getStorageSync(STORE.context) || {};
      try {
        const result = await api.verifyEntry(this.data.apiBase, { sender_id: this.senderId, params: params });
        if (result.valid) {
          wx.setStorageSync(STORE.context, result.context);
          this.setData({ sessionFrom: sessionFrom(params) });
          return result.context;
        }
        wx.removeStorageSync(STORE.context);
        this.setData({ tampered: true });
      } catch (error) {
        // Offline or gateway down: chat without an entry context rather than not at all.
      }
      return {};
    },

    remember(items) {
      const all = this.data.items.concat(items);
      this.setData({ items: all });
      wx.setStorageSync(STORE.history, all.slice(-MAX_HISTORY));
    },

    updateItem(index, changes) {
      const update = {};
      Object.keys(changes).forEach((key) => (update["items[" + index + "]." + key] = changes[key]));
      this.setData(update);
      wx.setStorageSync(STORE.history, this.data.items.slice(-MAX_HISTORY));
    },

    // Records the verdict on the item's answer; the gateway's message when it is refused.
    async giveFeedback(index, helpful, reason) {
      const item = this.data.items[index];
      try {
        await api.feedback(this.data.apiBase, { sender_id: this.senderId, turn: item.turn, helpful: helpful, reason: reason || null });
        return null;
      } catch (error) {
        return error.userMessage || "网络不太稳定，评价没有提交成功，请稍后再试。";
      }
    },

    async onFeedback(event) {
      const index = event.currentTarget.dataset.index;
      const helpful = event.currentTarget.dataset.helpful === "yes";
      const refused = await this.giveFeedback(index, helpful);
      if (refused) return this.updateItem(index, { feedbackError: refused });
      this.updateItem(index, { verdict: helpful ? "yes" : "no", asking: !helpful, feedbackError: "" });
    },

    onReasonInput(event) {
      this.setData({ ["items[" + event.currentTarget.dataset.index + "].reason"]: event.detail.value });
    },

    async onSendReason(event) {
      const index = event.currentTarget.dataset.index;
      const reason = (this.data.items[index].reason || "").trim();
      if (reason) {
        const refused = await this.giveFeedback(index, false, reason);
        if (refused) return this.updateItem(index, { feedbackError: refused });
      }
      this.updateItem(index, { asking: false, feedbackError: "" });
    },

    async send(message, shown, extra) {
      if (shown) this.remember([{ id: this.nextId(), from: "user", text: shown }]);
      this.setData({ sending: true });
      try {
        const metadata = Object.assign({}, this.metadata, extra || {});
        const response = await api.chat(this.data.apiBase, { sender_id: this.senderId, message: message, metadata: metadata });
        // Only answers to what the user sent can be rated (not the greeting the chat asks for).
        this.remember(botItems(response, () => this.nextId(), shown ? response.turn : null));
      } catch (error) {
        this.setData({ items: this.data.items.concat([{ id: this.nextId(), from: "error", text: "" }]) });
      } finally {
        this.setData({ sending: false });
      }
    },

    onInput(event) {
      this.setData({ draft: event.detail.value });
    },

    onSend() {
      const text = (this.data.draft || "").trim();
      if (!text || this.data.sending) return;
      this.setData({ draft: "" });
      return this.send(text, text);
    },

    onQuickReply(event) {
      const { payload, title } = event.currentTarget.dataset;
      return this.send(payload, title);
    },

    onToggleCitations(event) {
      const index = event.currentTarget.dataset.index;
      this.setData({ ["items[" + index + "].expanded"]: !this.data.items[index].expanded });
    },

    onSendLocation() {
      return new Promise((resolve) => {
        wx.getLocation({
          type: "gcj02",
          success: (res) => {
            const location = { lat: res.latitude, lng: res.longitude };
            resolve(this.send(FIND_COURSE_TRIGGER, "📍 我的位置", { location: location }));
          },
          fail: () => {
            wx.showToast({ title: "未获得位置授权", icon: "none" });
            resolve();
          },
        });
      });
    },
  },
});
