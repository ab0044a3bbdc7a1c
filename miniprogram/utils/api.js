// The gateway's JSON APIs through wx.request, as promises.

function post(apiBase, path, data) {
  return new Promise((resolve, reject) => {
    wx.request({
      url: apiBase + path,
      method: "POST",
      data: data,
      header: { "content-type": "application/json" },
      success: (res) => (res.statusCode === 200 ? resolve(res.data) : reject(new Error(path + " " + res.statusCode))),
      fail: (err) => reject(new Error(err && err.errMsg)),
    });
  });
}

module.exports = {
  chat: (apiBase, body) => post(apiBase, "/api/chat", body),
  verifyEntry: (apiBase, body) => post(apiBase, "/api/entry", body),
};
