// The fallback reader (issue 32) on the custom-markup fixture pages of the e2e suite
// (tests/e2e/pages/custom, written apart from the reader): every comment found, with the element
// that holds its words; nothing else (article bodies, product descriptions, notices, navigation,
// footers, a forum's opening post) read as a comment. Pages filled in by script are covered by the
// Chromium e2e tests; here their markup is built the same way, statically.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHTML } from './helpers/minidom.mjs';
import { detectComments, findSections, FallbackReader, isSectionHeading } from '../lib/adapters/fallback.js';
import { cleanText } from '../lib/text.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PAGES = join(HERE, '..', '..', 'tests', 'e2e', 'pages', 'custom');
const TEXTS = new Set([
  'you are a stupid worthless idiot', 'Shut up you stupid ugly loser, nobody wants you here',
  'Get lost you stupid ugly loser, nobody wants you here', '你就是个傻逼，滚出去', '你就是个废物，蠢货，赶紧去死吧',
  'Thanks for sharing this recipe, it looks delicious', 'Great video, I learned a lot about gardening today',
  'Great video, I learned a lot about gardening this week', '谢谢分享，这个菜谱看起来很好吃', '视频拍得真好，今天学到了很多园艺知识',
]);

const load = (name) => parseHTML(readFileSync(join(PAGES, name), 'utf8'));
const expected = (doc) => doc.querySelectorAll('[data-expect="abusive"], [data-expect="benign"]');

function checkPage(doc, label) {
  const items = detectComments(doc);
  const want = expected(doc);
  const got = new Set(items.map((i) => i.el));
  for (const el of want) assert.ok(got.has(el), `${label}: comment not found: ${cleanText(el.textContent).slice(0, 60)}`);
  for (const it of items) {
    assert.ok(['abusive', 'benign'].includes(it.el.getAttribute('data-expect')), `${label}: not a comment read as one: ${it.text.slice(0, 80)}`);
    assert.ok(TEXTS.has(it.text), `${label}: the words only, not the author/date/links: "${it.text}"`);
    assert.notEqual(it.textEl, it.el.querySelector('[data-expect]'), `${label}: a reply's words are not its parent's`);
  }
  assert.equal(items.length, want.length, label);
  return items;
}

for (const name of ['shop.html', 'school.html', 'zh-forum.html', 'iframe-comments.html', 'two-sections.html', 'long-article.html']) {
  test(`fallback reads every comment of ${name} and nothing else`, () => { checkPage(load(name), name); });
}

test('a page with no named section or heading: the fallback reads nothing (the picker is for that)', () => {
  assert.equal(detectComments(load('picker-miss.html')).length, 0);
});

test('pages without comments: article, product page, notices', () => {
  const doc = parseHTML(`<html><body><nav><ul><li><a>Comments</a></li><li><a>Replies</a></li></ul></nav>
    <article><h1>Title</h1><h2>What readers said in the comments</h2><p>One comment said this and that at length, quoting people.</p>
    <p>Another paragraph about comments, replies and reviews that is long enough to be read.</p></article>
    <div class="comment-notice">Comments are closed.</div><ul class="comment-rules"><li>Be kind to each other always</li><li>No spam or adverts please</li></ul>
    <div class="product-description"><p>Solid oak bench with a weatherproof finish that lasts years.</p><p>Delivered assembled to your door.</p></div>
    <footer><div class="comments-links"><div><a>Latest comments</a> 3</div><div><a>Top comments</a> 4</div></div></footer></body></html>`);
  assert.deepEqual(detectComments(doc).map((i) => i.text), []);
});

test('news comments built by script: div.comment-item > .comment-author + .comment-text, nested replies', () => {
  const item = (who, text, exp, replies = '') => `<div class="comment-item" data-expect="${exp}"><div class="comment-meta"><span class="comment-author">${who}</span> · 2 hours ago</div>
    <div class="comment-text">${text}</div><div class="comment-actions"><a class="reply-link">Reply</a><a class="like">Like (3)</a></div>${replies ? `<div class="comment-replies">${replies}</div>` : ''}</div>`;
  const doc = parseHTML(`<html><body><main><article><h1>Council</h1><p>Two hundred written comments were sent before the vote.</p></article>
    <section id="reader-comments"><h2>Reader comments</h2><p class="comments-note">Comments are moderated. Please keep comments civil.</p>
    <div id="comment-stream">${item('troll', 'you are a stupid worthless idiot', 'abusive', item('maria', 'Thanks for sharing this recipe, it looks delicious', 'benign') + item('sam', 'Great video, I learned a lot about gardening today', 'benign'))}
    ${item('peter', 'Great video, I learned a lot about gardening this week', 'benign')}</div></section></main></body></html>`);
  const items = checkPage(doc, 'news');
  const parent = items.find((i) => i.text.startsWith('you are'));
  assert.equal(parent.textEl.getAttribute('class'), 'comment-text');
  assert.equal(parent.author, 'troll');
});

test('chat list with role=log (single-page app)', () => {
  const line = (n, t, e) => `<div class="line" data-expect="${e}"><span class="nick">${n}</span><span class="body">${t}</span><span class="stamp">09:01</span></div>`;
  const doc = parseHTML(`<html><body><aside><a>#garden</a><a>#cooking</a></aside><div id="app"><div class="room-head"><h2>#garden</h2><p class="topic">Everything about vegetables</p></div>
    <div class="room-chat" role="log" aria-label="Chat messages">${line('rosa', 'Great video, I learned a lot about gardening today', 'benign')}${line('x', 'you are a stupid worthless idiot', 'abusive')}</div></div></body></html>`);
  checkPage(doc, 'spa');
});

test('known systems keep priority: a WordPress list is not the fallback\'s', () => {
  const doc = parseHTML(`<html><body><div id="comments"><h2>3 comments</h2><ol class="comment-list">
    <li class="comment"><div class="comment-author">a</div><div class="comment-content"><p>Thanks for sharing this recipe, it looks delicious</p></div></li>
    <li class="comment"><div class="comment-author">b</div><div class="comment-content"><p>you are a stupid worthless idiot</p></div></li></ol></div></body></html>`);
  assert.equal(detectComments(doc, { known: 'li.comment' }).length, 0);
  assert.equal(detectComments(doc).length, 2);
});

test('excluded regions ("this is not a comment") are never read', () => {
  const doc = load('two-sections.html');
  const all = detectComments(doc).length;
  const left = detectComments(doc, { exclude: '.latest-comments' });
  assert.equal(left.length, all - 3);
  assert.ok(left.every((i) => !i.el.getAttribute('class').includes('side-post')));
});

test('section headings in several languages; long sentences are not headings', () => {
  for (const h of ['Reader comments', '12 comments', '全部回复', '最新评论', 'コメント', '댓글 3개', 'Customer reviews', 'Discussion']) {
    assert.ok(isSectionHeading(parseHTML(`<h2>${h}</h2>`).querySelector('h2')), h);
  }
  for (const h of ['Why the comment sections of newspapers matter to democracy today', 'Opening hours', '产品介绍']) {
    assert.ok(!isSectionHeading(parseHTML(`<h2>${h}</h2>`).querySelector('h2')), h);
  }
});

test('sections are outermost and never navigation or footers', () => {
  const doc = load('long-article.html');
  const secs = findSections(doc);
  assert.ok(secs.every((s) => s.localName !== 'nav' && s.localName !== 'footer'));
  assert.ok(secs.some((s) => s.getAttribute('id') === 'responses'));
});

test('FallbackReader: a new item of a known list is read alone; a change elsewhere waits for a whole read', () => {
  const doc = load('iframe-comments.html');
  const r = new FallbackReader();
  assert.equal(r.read(doc).length, 5);
  assert.equal(r.sections.length, 1);
  // infinite scroll: one more comment appended to the list
  const added = parseHTML('<li class="c"><div class="c-head"><span class="c-who">kim</span> <span class="c-when">now</span></div><div class="c-msg">you are a stupid worthless idiot</div></li>').querySelector('li');
  doc.querySelector('ol.c-list').append(added);
  const got = r.read(doc, [added]);
  assert.deepEqual(got.map((i) => [i.el, i.textEl.getAttribute('class'), i.text]), [[added, 'c-msg', 'you are a stupid worthless idiot']]);
  // a text change inside an item: that item (and its replies) again
  const first = doc.querySelector('li.c');
  assert.deepEqual(r.read(doc, [first.querySelector('.c-msg')]).map((i) => i.text),
    ['you are a stupid worthless idiot', 'Great video, I learned a lot about gardening today']);
  // a change outside the sections: a whole read, later when not allowed now
  assert.equal(r.read(doc, [doc.querySelector('body')], { allowFull: false }).length, 0);
  assert.equal(r.pendingFull, true);
  assert.equal(r.read(doc, [], { allowFull: true }).length, 6);
  assert.equal(r.pendingFull, false);
});

test('on pages of known comment systems the fallback adds nothing (they keep priority)', async () => {
  const generic = (await import('../lib/adapters/generic.js')).default;
  const known = generic.comments.map((s) => s.item).join(', ');
  const E2E = join(HERE, '..', '..', 'tests', 'e2e', 'pages');
  for (const name of ['wordpress.html', 'discourse.html', 'phpbb.html']) {
    const doc = parseHTML(readFileSync(join(E2E, name), 'utf8'));
    assert.deepEqual(detectComments(doc, { known }).map((i) => i.text), [], name);
  }
});
