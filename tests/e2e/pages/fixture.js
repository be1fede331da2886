// Page behaviour shared by the fixture pages (not site markup): posting, "load more".
(function () {
  window.__posted = [];
  window.__post = function (text) {
    text = (text || '').trim();
    if (!text) return;
    window.__posted.push(text);
    var li = document.createElement('li');
    li.textContent = text;
    document.getElementById('posted').appendChild(li);
  };
  function take(ed) {
    var t = ed.tagName === 'TEXTAREA' ? ed.value : ed.textContent;
    if (ed.tagName === 'TEXTAREA') ed.value = ''; else ed.textContent = '';
    return t;
  }
  function editorNear(b) {
    for (var s = b.parentElement; s; s = s.parentElement) {
      var ed = s.querySelector('[data-fixture-editor]');
      if (ed) return ed;
    }
    return null;
  }
  document.addEventListener('click', function (ev) {
    var b = ev.target.closest && ev.target.closest('[data-fixture-send]');
    if (!b) return;
    var ed = editorNear(b);
    if (ed) window.__post(take(ed));
  });
  // plain textareas that send on Enter (X's Chat composer); synthetic events count here
  document.addEventListener('keydown', function (ev) {
    var ed = ev.target.closest && ev.target.closest('[data-fixture-enter-any]');
    if (!ed || ev.key !== 'Enter' || ev.shiftKey) return;
    ev.preventDefault();
    window.__post(take(ed));
  });
  document.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var ed = ev.target.querySelector('textarea, [contenteditable="true"]');
    if (ed) window.__post(take(ed));
  });
  var more = document.getElementById('load-more');
  var tpl = document.getElementById('more');
  if (more && tpl) more.addEventListener('click', function () {
    var list = document.querySelector('[data-list]');
    list.appendChild(tpl.content.cloneNode(true));
  });
})();
