const { apiBase } = require("../../config");
const { entryParams } = require("../../utils/entry");

Page({
  data: { ready: false, apiBase: apiBase, entryParams: {} },

  onLoad(options) {
    // The chat mounts once the entry parameters are known, so it verifies the right ones.
    this.setData({ entryParams: entryParams(options), ready: true });
  },
});
