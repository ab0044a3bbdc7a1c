const { entryParams, sessionFrom } = require("../utils/entry");

const LINK =
  "https://zhiyin.example.cn/chat?channel=h5&region=%E5%BD%AD%E9%98%B3%E5%8E%BF&role=trainee" +
  "&campaign=2027%E6%98%A5%E5%AD%A3%E6%8B%9B%E7%94%9F&sig=GsgYa_Dq0qkhKOMGkUKv6A";
const PARAMS = { channel: "h5", region: "彭阳县", role: "trainee", campaign: "2027春季招生", sig: "GsgYa_Dq0qkhKOMGkUKv6A" };

test("a poster's ordinary QR link arrives URL-encoded in q", () => {
  expect(entryParams({ q: encodeURIComponent(LINK), scancode_time: "1700000000" })).toEqual(PARAMS);
});

test("a mini-program code's scene carries the query string", () => {
  expect(entryParams({ scene: encodeURIComponent("region=彭阳县&role=trainee&sig=abc") })).toEqual({
    region: "彭阳县",
    role: "trainee",
    sig: "abc",
  });
});

test("an ordinary launch has no entry context, and unknown keys are dropped", () => {
  expect(entryParams({})).toEqual({});
  expect(entryParams(undefined)).toEqual({});
  expect(entryParams({ q: encodeURIComponent("https://x/chat?utm=1&region=A&sig=s") })).toEqual({ region: "A", sig: "s" });
});

test("session-from is the signed query again, readable by a URL query parser", () => {
  const value = sessionFrom(PARAMS);
  expect(Object.fromEntries(new URLSearchParams(value))).toEqual(PARAMS);
});
