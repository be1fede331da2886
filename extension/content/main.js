// Content-script entry (a classic script, as Chrome requires): loads the ES-module code.
(() => {
  if (globalThis.__kindshieldLoaded) return;
  globalThis.__kindshieldLoaded = true;
  import(chrome.runtime.getURL('content/app.js'))
    .then((m) => m.start())
    .catch(() => { /* extension reloaded or page refused the module: leave the page alone */ });
})();
