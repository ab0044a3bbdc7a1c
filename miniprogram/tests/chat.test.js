// The chat component rendered by miniprogram-simulate, with wx.request answered by a stand-in for
// the gateway's /api/entry and /api/chat (the shapes of ARCHITECTURE.md) and wx storage in memory.
const fs = require("fs");
const path = require("path");
const simulate = require("miniprogram-simulate");

const API = "https://gateway.test";
// Loaded once: the component's module is cached by require, so it registers only on first load.
const COMPONENT_PATH = path.join(__dirname, "../components/chat/chat");
const COMPONENT = simulate.load(COMPONENT_PATH, { compiler: "simulate" });

let requests;
let storage;
let chatReplies;
let feedbackReplies;

function reply(messages, extra) {
  return Object.assign(
    { messages: messages, intent: { name: "greet", confidence: 1 }, entities: [], slots: {}, citations: [], handoff: false },
    extra || {},
  );
}

beforeEach(() => {
  requests = [];
  storage = {};
  chatReplies = [reply([{ text: "您好！我是职业技能培训政策助手。" }])];
  feedbackReplies = [];
  wx.request = (options) => {
    requests.push({ url: options.url, data: options.data });
    setTimeout(() => {
      if (options.url === API + "/api/entry") {
        const valid = options.data.params.sig === "good";
        const { sig, ...context } = options.data.params;
        options.success({ statusCode: 200, data: valid ? { valid: true, context: context } : { valid: false, context: null } });
      } else if (options.url === API + "/api/feedback") {
        options.success(feedbackReplies.shift() || { statusCode: 200, data: Object.assign({ reason: null }, options.data) });
      } else {
        options.success({ statusCode: 200, data: chatReplies.shift() || reply([{ text: "好的。" }]) });
      }
    }, 0);
  };
  wx.getStorageSync = (key) => (key in storage ? storage[key] : "");
  wx.setStorageSync = (key, value) => (storage[key] = JSON.parse(JSON.stringify(value)));
  wx.removeStorageSync = (key) => delete storage[key];
});

async function mount(entryParams) {
  const comp = simulate.render(COMPONENT, {
    apiBase: API,
    entryParams: entryParams || {},
  });
  comp.attach(document.createElement("parent"));
  await until(() => !comp.instance.data.sending && comp.instance.data.items.length > 0);
  return comp;
}

// Waits for the component's asynchronous requests to settle.
async function until(condition, timeoutMs = 2000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await simulate.sleep(5);
  }
}

function texts(comp, selector) {
  return comp.querySelectorAll(selector).map((node) => node.dom.textContent.trim());
}

const chats = () => requests.filter((r) => r.url === API + "/api/chat").map((r) => r.data);

test("a signed entry is verified, then greets with the entry context as metadata", async () => {
  const comp = await mount({ region: "彭阳县", role: "trainee", campaign: "2027春季招生", sig: "good" });
  expect(requests[0].url).toBe(API + "/api/entry");
  expect(chats()[0]).toMatchObject({
    message: "/greet",
    metadata: { channel: "miniprogram", region: "彭阳县", role: "trainee", campaign: "2027春季招生" },
  });
  expect(texts(comp, ".bubble")).toEqual(["您好！我是职业技能培训政策助手。"]);
  expect(texts(comp, ".region")).toEqual(["彭阳县"]);
  // The simulator does not keep built-in attributes, so the button's binding is read from the template.
  const contactButton = fs.readFileSync(`${COMPONENT_PATH}.wxml`, "utf8").match(/<button[^>]*open-type="contact"[^>]*>/);
  expect(contactButton[0]).toContain('session-from="{{sessionFrom}}"');
  expect(new URLSearchParams(comp.instance.data.sessionFrom).get("region")).toBe("彭阳县");
});

test("a tampered entry sets no region or role", async () => {
  const comp = await mount({ region: "彭阳县", role: "institution", sig: "forged" });
  expect(chats()[0].metadata).toEqual({ channel: "miniprogram" });
  expect(comp.querySelector(".notice")).toBeTruthy();
  expect(comp.querySelector(".region")).toBeFalsy();
});

test("typed message, quick replies, course cards and collapsible citations", async () => {
  const course = { institution: "彭阳县职业技能培训中心", course: "中式烹调师", address: "彭阳县白阳镇",
    distance_km: 2.5, start_date: "2027-03-01", end_date: "2027-03-20", subsidized: true, phone: "0954-1234567" };
  const citation = { doc_id: "d1", title: "职业技能提升行动方案", section: "第三条", text: "按规定给予培训补贴。", score: 0.9 };
  const comp = await mount();
  chatReplies.push(
    reply([{ text: "您想找哪类课程？", buttons: [{ title: "烹饪", payload: "/inform{\"occupation\":\"中式烹调师\"}" }] }]),
    reply([{ text: "为您找到附近的课程：", custom: { courses: [course] } }], { citations: [citation] }),
  );

  comp.instance.onInput({ detail: { value: "我想学手艺" } });
  await comp.instance.onSend();
  expect(chats()[1].message).toBe("我想学手艺");
  expect(texts(comp, ".chip")).toEqual(["烹饪"]);

  comp.querySelector(".chip").dispatchEvent("tap");
  await until(() => chats().length === 3 && !comp.instance.data.sending);
  expect(chats()[2].message).toBe("/inform{\"occupation\":\"中式烹调师\"}");
  expect(texts(comp, ".item.user .bubble")).toEqual(["我想学手艺", "烹饪"]);
  expect(texts(comp, ".card-title")[0]).toContain("中式烹调师");
  expect(texts(comp, ".card-title")[0]).toContain("可享补贴");
  expect(texts(comp, ".card-line").join(" ")).toContain("2.5 公里");

  expect(texts(comp, ".citations-toggle")[0]).toContain("政策依据（1 条）");
  expect(comp.querySelector(".citation")).toBeFalsy();
  comp.querySelector(".citations-toggle").dispatchEvent("tap");
  await until(() => comp.querySelector(".citation"));
  expect(texts(comp, ".citation-title")).toEqual(["职业技能提升行动方案 第三条"]);
});

test("the user's location is sent on request", async () => {
  wx.getLocation = (options) => options.success({ latitude: 35.85, longitude: 106.64 });
  const comp = await mount();
  comp.querySelector(".location").dispatchEvent("tap");
  await until(() => chats().length === 2 && !comp.instance.data.sending);
  expect(chats()[1]).toMatchObject({ message: "/find_course", metadata: { channel: "miniprogram", location: { lat: 35.85, lng: 106.64 } } });
});

test("the visitor and the transcript survive a relaunch, without a second greeting", async () => {
  await mount();
  const sender = storage["zyjn.sender_id"];
  expect(sender).toMatch(/^mp-[0-9a-f]{24}$/);
  const again = await mount();
  expect(chats()).toHaveLength(1);
  expect(texts(again, ".bubble")).toEqual(["您好！我是职业技能培训政策助手。"]);
  expect(storage["zyjn.sender_id"]).toBe(sender);
});

test("a failed request shows the offline notice and re-enables sending", async () => {
  const comp = await mount();
  wx.request = (options) => setTimeout(() => options.fail({ errMsg: "request:fail" }), 0);
  comp.instance.onInput({ detail: { value: "你好" } });
  await comp.instance.onSend();
  expect(texts(comp, ".item.error .bubble")[0]).toContain("12333");
  expect(comp.instance.data.sending).toBe(false);
});

const feedbacks = () => requests.filter((r) => r.url === API + "/api/feedback").map((r) => r.data);

test("an answer is marked not helpful with a reason, and the verdict survives a relaunch", async () => {
  const comp = await mount();
  expect(comp.querySelector(".feedback")).toBeFalsy(); // the greeting the chat asked for is not rated
  chatReplies.push(reply([{ text: "叉车证补贴1500元。" }], { turn: 2 }));
  comp.instance.onInput({ detail: { value: "叉车证补多少" } });
  await comp.instance.onSend();
  expect(texts(comp, ".feedback-label")).toEqual(["这个回答"]);

  comp.querySelector(".feedback-no").dispatchEvent("tap");
  await until(() => comp.querySelector(".reason-input"));
  expect(feedbacks()).toEqual([{ sender_id: storage["zyjn.sender_id"], turn: 2, helpful: false, reason: null }]);
  comp.querySelector(".reason-input").dispatchEvent("input", { detail: { value: "我问的是电工证" } });
  comp.querySelector(".reason-send").dispatchEvent("tap");
  await until(() => !comp.querySelector(".reason-input"));
  expect(feedbacks()[1]).toMatchObject({ turn: 2, helpful: false, reason: "我问的是电工证" });
  expect(texts(comp, ".feedback-note")).toEqual(["谢谢您告诉我们，我们会据此改进。"]);

  const again = await mount();
  expect(again.querySelector(".feedback-yes")).toBeFalsy();
  expect(texts(again, ".feedback-note")).toEqual(["谢谢您告诉我们，我们会据此改进。"]);
});

test("a refused verdict shows the gateway's message and can be given again", async () => {
  const comp = await mount();
  chatReplies.push(reply([{ text: "好的。" }], { turn: 2 }));
  comp.instance.onInput({ detail: { value: "你好" } });
  await comp.instance.onSend();
  feedbackReplies.push({ statusCode: 409, data: { error: { code: "turn_not_answered", message: "助手没有回答第 2 轮的消息，无法评价。" } } });
  comp.querySelector(".feedback-yes").dispatchEvent("tap");
  await until(() => comp.querySelector(".feedback-error"));
  expect(texts(comp, ".feedback-error")).toEqual(["助手没有回答第 2 轮的消息，无法评价。"]);
  comp.querySelector(".feedback-yes").dispatchEvent("tap");
  await until(() => comp.querySelector(".feedback-note"));
  expect(feedbacks().map((f) => f.helpful)).toEqual([true, true]);
  expect(texts(comp, ".feedback-note")).toEqual(["谢谢您的评价！"]);
});
