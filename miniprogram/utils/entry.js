// The entry context a mini-program launch carries: a poster's ordinary QR link registered to open
// the mini-program arrives as `q` (the whole link, URL-encoded); a mini-program code arrives as
// `scene` (its query string, URL-encoded). Either way the result is the link's query parameters,
// still signed: the gateway verifies them (POST /api/entry) before they count.

const ENTRY_KEYS = ["channel", "region", "role", "campaign", "sig"];

function decode(value) {
  try {
    return decodeURIComponent(String(value).replace(/\+/g, " "));
  } catch (error) {
    return "";
  }
}

// The query of a link ("https://…/chat?a=1&b=2") or a bare query ("a=1&b=2"), entry keys only.
function parseQuery(link) {
  const params = {};
  const text = String(link || "");
  const at = text.indexOf("?");
  (at === -1 ? text : text.slice(at + 1))
    .split("&")
    .forEach((pair) => {
      const at = pair.indexOf("=");
      if (at <= 0) return;
      const key = decode(pair.slice(0, at));
      if (ENTRY_KEYS.indexOf(key) !== -1) params[key] = decode(pair.slice(at + 1));
    });
  return params;
}

function entryParams(options) {
  options = options || {};
  if (options.q) return parseQuery(decode(options.q));
  if (options.scene) return parseQuery(decode(options.scene));
  return {};
}

// The customer-service button's session-from: the same signed query, so the WeChat push channel
// can verify it when the user_enter_tempsession event arrives.
function sessionFrom(params) {
  return ENTRY_KEYS.filter((k) => params && params[k])
    .map((k) => k + "=" + encodeURIComponent(params[k]))
    .join("&");
}

module.exports = { entryParams, parseQuery, sessionFrom };
