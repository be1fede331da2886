// Coral's stream as site-markup.md §13b describes it: mounted into the host page (no iframe)
// inside div#coral-shadow-container with an OPEN shadow root; classes from Coral's classes.ts.
(function () {
  function el(tag, cls, text) { var n = document.createElement(tag); if (cls) n.className = cls; if (text) n.textContent = text; return n; }
  var container = el('div'); container.id = 'coral-shadow-container';
  document.getElementById('coral_thread').appendChild(container);
  var root = container.attachShadow({ mode: 'open' });
  var stream = el('div', 'coral coral-stream');
  var create = el('div', 'coral-createComment');
  var rte = el('div', 'coral-rte-content'); rte.setAttribute('contenteditable', 'true'); rte.setAttribute('role', 'textbox');
  var submit = el('button', 'coral-createComment-submit', 'Submit'); submit.type = 'button';
  submit.addEventListener('click', function () { window.__post(rte.textContent); rte.textContent = ''; });
  create.append(rte, submit);
  var list = el('div', 'coral-comments');
  stream.append(create, list);
  root.appendChild(stream);
  function comment(d) {
    var wrap = el('div', 'coral-comment-wrapper');
    var c = el('div', 'coral coral-comment'); c.dataset.expect = d.expect; c.id = 'comment-' + d.id;
    var head = el('div', 'coral-comment-header');
    head.append(el('span', 'coral-comment-username', d.who), el('span', 'coral-comment-timestamp', '2 hours ago'));
    var content = el('div', 'coral-comment-content'); content.appendChild(el('p', '', d.text));
    var actions = el('div', 'coral-comment-actionBar'); actions.appendChild(el('button', 'coral-comment-replyButton', 'Reply'));
    c.append(head, content, actions);
    wrap.appendChild(c);
    if (d.replies && d.replies.length) {
      var indent = el('div', 'coral-indent');
      d.replies.forEach(function (r) { indent.appendChild(comment(r)); });
      wrap.appendChild(indent);
    }
    return wrap;
  }
  window.__coral.data.forEach(function (d) { list.appendChild(comment(d)); });
  document.getElementById('load-more').addEventListener('click', function () {
    window.__coral.more.forEach(function (d) { list.appendChild(comment(d)); });
  });
})();
