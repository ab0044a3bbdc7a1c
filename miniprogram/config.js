// The gateway's public HTTPS address; it must be listed as a request domain in the mini-program's settings.
module.exports = {
  apiBase: "https://zhiyin.example.cn",
};
