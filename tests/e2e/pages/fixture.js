// Page behaviour shared by the fixture pages: "load more", and a composer that posts.
(function () {
  window.__posted = [];
  function post(text) {
    text = (text || '').trim();
    if (!text) return;
    window.__posted.push(text);
    var li = document.createElement('li');
    li.textContent = text;
    document.getElementById('posted').appendChild(li);
  }
  function editorOf(scope) {
    return scope.querySelector('textarea, [contenteditable="true"]');
  }
  function take(ed) {
    var t = ed.value !== undefined && ed.tagName === 'TEXTAREA' ? ed.value : ed.textContent;
    if (ed.tagName === 'TEXTAREA') ed.value = ''; else ed.textContent = '';
    return t;
  }
  var more = document.getElementById('load-more');
  if (more) more.addEventListener('click', function () {
    var tpl = document.getElementById('more');
    var list = document.querySelector('[data-list]');
    var items = list.querySelectorAll('[data-expect]');
    var parent = list;
    if (items.length) {
      // the last item's outermost wrapper that holds only it; new items go next to it
      var top = items[items.length - 1];
      while (top.parentElement !== list && top.parentElement.querySelectorAll('[data-expect]').length === 1) top = top.parentElement;
      parent = top.parentElement;
    }
    parent.appendChild(tpl.content.cloneNode(true));
  });
  // buttons that post (any element marked as the site's send control)
  var SEND = 'button[type="submit"]:not(form button), .reply-box-send, [data-e2e="comment-post"], [data-e2e="msg-send"], .CommentEditorV2-singleButton, #submit-button button, [data-testid="tweetButtonInline"], [data-testid="dmComposerSendButton"], button[slot="submit-button"], .btn-send, .MessagesBox-send, .reply-area button, .composer button';
  document.addEventListener('click', function (ev) {
    var b = ev.target.closest(SEND);
    if (!b) return;
    var scope = b.parentElement;
    while (scope && !editorOf(scope)) scope = scope.parentElement;
    if (scope) post(take(editorOf(scope)));
  });
  // Enter sends in chat-like composers (and Ctrl+Enter anywhere)
  document.addEventListener('keydown', function (ev) {
    if (ev.key !== 'Enter' || ev.shiftKey) return;
    var ed = ev.target.closest('[data-e2e="comment-input"] [contenteditable], [data-e2e="msg-input"] [contenteditable], [data-testid="dmComposerTextInput"], .msg-input textarea, .send-box textarea, .MessagesBox-input textarea');
    if (!ed && (ev.ctrlKey || ev.metaKey)) ed = ev.target.closest('textarea, [contenteditable="true"]');
    if (!ed) return;
    ev.preventDefault();
    post(take(ed));
  });
  // classic forms
  document.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var ed = editorOf(ev.target);
    if (ed) post(take(ed));
  });
})();
