// The gateway's JSON APIs through wx.request, as promises.

function post(apiBase, path, data) {
  return new Promise((resolve, reject) => {
    wx.request({
      url: apiBase + path,
      method: "POST",
      data: data,
      header: { "content-type": "application/json" },
      success: (res) => {
        if (res.statusCode === 200) return resolve(res.data);
        const error = new Error(path + " " + res.statusCode);
        // The gateway's Chinese explanation, for messages shown to the user
        error.userMessage = res.data && res.data.error && res.data.error.message;
        reject(error);
      },
      fail: (err) => reject(new Error(err && err.errMsg)),
    });
  });
}

module.exports = {
  chat: (apiBase, body) => post(apiBase, "/api/chat", body),
  verifyEntry: (apiBase, body) => post(apiBase, "/api/entry", body),
  feedback: (apiBase, body) => post(apiBase, "/api/feedback", body),
};
