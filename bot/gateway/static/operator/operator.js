// What the operator pages (/admin/knowledge, /admin/review, /admin/stats) share: the header and the
// token sign-in, the token kept for the browser tab (one sign-in serves all three pages), requests that
// carry it, and a few DOM helpers. A page imports what it needs and calls signIn(start) once.

const TOKEN_KEY = "zyjn.admin.token";

// The header (its title is the page's <title>) and the sign-in form, put before the page's <main id="pane">.
const SHELL = `
  <header class="bar">
    <h1></h1>
    <button type="button" id="sign-out" hidden>退出</button>
  </header>
  <form id="sign-in" class="card" autocomplete="off">
    <label for="token">管理令牌</label>
    <input id="token" type="password" required placeholder="请输入管理令牌">
    <button type="submit">登录</button>
    <p class="error" id="sign-in-error" role="alert" hidden></p>
  </form>`;

export const $ = (id) => document.getElementById(id);
export const show = (id, on) => { $(id).hidden = !on; };
export const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  Object.assign(node, attrs);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
};

// Shows text in #error, #notice or #sign-in-error; no text hides it.
export function message(id, text) {
  $(id).textContent = text || "";
  show(id, Boolean(text));
}
export const fail = (error) => { if (error.code !== "unauthorized") message("error", error.message); };

export class ApiError extends Error {
  constructor(message, code, details) { super(message); this.code = code; this.details = details; }
}

const token = () => sessionStorage.getItem(TOKEN_KEY);

// What a failed request says: the server's message, else the HTTP status.
const failure = (error, status) => error?.message || `请求失败（HTTP ${status}）`;

// fetch() with the operator token. A 401 signs out (the server's message under the form) and throws the
// ApiError "unauthorized", which fail() passes over; another failure throws an ApiError with describe's text.
export async function request(url, { describe = failure, ...init } = {}) {
  const response = await fetch(url, { ...init, headers: { ...init.headers, Authorization: `Bearer ${token()}` } });
  if (response.ok) return response;
  const data = await response.json().catch(() => ({}));
  if (response.status === 401) { signOut(data.error?.message); throw new ApiError("", "unauthorized"); }
  throw new ApiError(describe(data.error, response.status), data.error?.code, data.error?.details);
}

// api(method, path, body): JSON to and from the endpoints under base.
export function jsonApi(base, describe = failure) {
  return async (method, path, body) => {
    const response = await request(base + path, {
      method,
      describe,
      headers: { "Content-Type": "application/json" },
      body: body ? JSON.stringify(body) : undefined,
    });
    return response.json().catch(() => ({}));
  };
}

function signOut(text) {
  sessionStorage.removeItem(TOKEN_KEY);
  show("pane", false); show("sign-out", false); show("sign-in", true);
  message("sign-in-error", text);
}

// Hides the sign-in form and shows the page: start() calls it once its first request went through.
export function enterPane() {
  show("sign-in", false); message("sign-in-error", ""); show("pane", true); show("sign-out", true);
}

// Draws the header and the form; start() loads the page with the token, after sign-in or at once if this
// tab already holds one.
export function signIn(start) {
  document.body.insertAdjacentHTML("afterbegin", SHELL);
  document.querySelector(".bar h1").textContent = document.title;
  $("sign-in").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
    start();
  });
  $("sign-out").addEventListener("click", () => signOut());
  if (token()) start();
}
