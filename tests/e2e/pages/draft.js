// Draft.js-like editors (site-markup.md §3a composer, §3b chat editor): they act on REAL key
// presses only; a synthetic Enter (isTrusted false) is ignored, as Draft.js and React editors do.
(function () {
  document.addEventListener('keydown', function (ev) {
    var ed = ev.target.closest && ev.target.closest('[data-fixture-enter]');
    if (!ed || ev.key !== 'Enter' || ev.shiftKey) return;
    ev.preventDefault();
    if (!ev.isTrusted) return;  // the site ignores synthetic events
    window.__post(ed.textContent); ed.textContent = '';
  });
})();
