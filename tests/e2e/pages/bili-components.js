// Bilibili's v3 comment components as site-markup.md §1a describes them: every level is a custom
// element with its own OPEN shadow root, rendered from Lit-style __data. Element names, ids and
// nesting follow the notes; the rendering code is the fixture's own.
(function () {
  function el(tag, attrs, kids) {
    var n = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    (kids || []).forEach(function (c) { n.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return n;
  }
  function withData(tag, data) { var n = document.createElement(tag); n.__data = data; return n; }
  class Base extends HTMLElement {
    connectedCallback() { if (!this.shadowRoot) { this.attachShadow({ mode: 'open' }); this.render(this.shadowRoot, this.__data || {}); } }
  }
  customElements.define('bili-rich-text', class extends Base {
    render(root, d) { root.appendChild(el('p', { id: 'contents' }, [el('span', {}, [d.text || ''])])); }
  });
  customElements.define('bili-comment-user-info', class extends Base {
    render(root, d) {
      root.appendChild(el('div', { id: 'info' }, [
        el('div', { id: 'user-name' }, [el('a', { href: '//space.bilibili.com/' + d.mid, 'data-user-profile-id': d.mid }, [d.uname])]),
        el('div', { id: 'user-level' }, ['LV5'])]));
    }
  });
  customElements.define('bili-comment-action-buttons-renderer', class extends Base {
    render(root) {
      root.appendChild(el('div', { id: 'like' }, [el('button', {}, ['12'])]));
      root.appendChild(el('div', { id: 'dislike' }, [el('button', {}, ['踩'])]));
      root.appendChild(el('div', { id: 'reply' }, [el('button', {}, ['回复'])]));
      root.appendChild(el('div', { id: 'more' }, [el('button', {}, ['⋮'])]));
    }
  });
  function rendererBody(root, d, textParentId) {
    root.appendChild(el('div', { id: 'header' }, [withData('bili-comment-user-info', { uname: d.member.uname, mid: d.member.mid })]));
    var rich = withData('bili-rich-text', { text: d.content.message });
    root.appendChild(el('div', { id: textParentId }, [rich]));
    root.appendChild(el('div', { id: 'footer' }, [el('span', { id: 'pubdate' }, ['2026-08-01 10:24']), withData('bili-comment-action-buttons-renderer', {})]));
  }
  customElements.define('bili-comment-renderer', class extends Base {
    render(root, d) { if (d.expect) this.dataset.expect = d.expect; rendererBody(root, d, 'content'); }
  });
  customElements.define('bili-comment-reply-renderer', class extends Base {
    // the notes disagree between #main and #body for the reply text's parent: both occur here
    render(root, d) { if (d.expect) this.dataset.expect = d.expect; rendererBody(root, d, d.body ? 'body' : 'main'); }
  });
  customElements.define('bili-comment-replies-renderer', class extends Base {
    render(root, d) {
      var contents = el('div', { id: 'expander-contents' });
      root.appendChild(el('div', { id: 'expander' }, [contents]));
      (d.replies || []).forEach(function (r) { contents.appendChild(withData('bili-comment-reply-renderer', reply(r))); });
    }
    addReply(r) { this.shadowRoot.getElementById('expander-contents').appendChild(withData('bili-comment-reply-renderer', reply(r))); }
  });
  function reply(r) { return { rpid_str: r.rpid, member: { uname: r.uname, mid: '9' + r.rpid }, content: { message: r.message }, expect: r.expect, body: r.body }; }
  customElements.define('bili-comment-thread-renderer', class extends Base {
    render(root, d) {
      root.appendChild(withData('bili-comment-renderer', reply(d)));
      root.lastChild.id = 'comment';
      root.appendChild(el('div', { id: 'replies' }, [withData('bili-comment-replies-renderer', { replies: d.replies })]));
      root.appendChild(el('div', { id: 'reply-container' }));
    }
  });
  // the composer: bili-comment-box → #comment-area #body #editor bili-comment-rich-textarea →
  // #input .brt-root .brt-editor (contenteditable); the send button is #pub button
  customElements.define('bili-comment-rich-textarea', class extends Base {
    render(root) {
      root.appendChild(el('div', { id: 'input' }, [el('div', { class: 'brt-root' }, [
        el('div', { class: 'brt-placeholder' }, ['发一条友善的评论']),
        el('div', { class: 'brt-editor', contenteditable: 'true', role: 'textbox' })])]));
    }
  });
  customElements.define('bili-comment-box', class extends Base {
    render(root) {
      root.appendChild(el('div', { id: 'comment-area' }, [
        el('div', { id: 'body' }, [el('div', { id: 'editor' }, [document.createElement('bili-comment-rich-textarea')])]),
        el('div', { id: 'footer' }, [el('bili-checkbox', {}, ['同步到动态']), el('div', { id: 'pub' }, [el('button', {}, ['发布'])])])]));
      root.getElementById('pub').addEventListener('click', function () {
        var ed = root.querySelector('bili-comment-rich-textarea').shadowRoot.querySelector('.brt-editor');
        window.__post(ed.textContent); ed.textContent = '';
      });
    }
  });
  customElements.define('bili-comments-header-renderer', class extends Base {
    render(root) { root.appendChild(el('div', { id: 'commentbox' }, [document.createElement('bili-comment-box')])); }
  });
  customElements.define('bili-comments', class extends Base {
    render(root, d) {
      root.appendChild(document.createElement('bili-comments-header-renderer'));
      var feed = el('div', { id: 'feed' });
      root.appendChild(el('div', { id: 'contents' }, [el('div', { id: 'new' }), feed]));
      (d.threads || []).forEach(function (t) { feed.appendChild(withData('bili-comment-thread-renderer', t)); });
    }
    addThread(t) { this.shadowRoot.getElementById('feed').appendChild(withData('bili-comment-thread-renderer', t)); }
  });
  window.__mountBili = function (host, threads, more, lateReply) {
    var c = withData('bili-comments', { threads: threads });
    host.appendChild(c);
    var btn = document.getElementById('load-more');
    if (btn) btn.addEventListener('click', function () {
      more.forEach(function (t) { c.addThread(t); });
      if (lateReply) {
        c.shadowRoot.querySelectorAll('bili-comment-thread-renderer').forEach(function (t) {
          if (t.__data.rpid === lateReply.thread) t.shadowRoot.querySelector('bili-comment-replies-renderer').addReply(lateReply);
        });
      }
    });
  };
})();
