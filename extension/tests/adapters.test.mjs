// Site adapters on the saved fixture pages (tests/e2e/pages, shared with the Chromium tests),
// parsed by a tiny DOM-free HTML parser: every item marked data-expect is found, nothing else,
// with the right text and author; message views find incoming messages only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parseHTML } from './helpers/minidom.mjs';
import { SITE_ADAPTERS, GENERIC, ALL_ADAPTERS, adapterForHost, selectAdapter, adapterByName, supportedMatchPatterns } from '../lib/adapters/index.js';
import { findComments, findMessages, isMessageView, isSubmitLabel, collectItems } from '../lib/adapters/common.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PAGES = join(HERE, '..', '..', 'tests', 'e2e', 'pages');

function htmlFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...htmlFiles(p));
    else if (name.endsWith('.html')) out.push(p);
  }
  return out;
}

function load(path) {
  const doc = parseHTML(readFileSync(path, 'utf8'));
  const declared = doc.documentElement.getAttribute('data-kindshield-site');
  const adapter = selectAdapter({ hostname: '127.0.0.1', declared, testMode: true });
  const urlPath = `/${relative(PAGES, path).split('\\').join('/')}`;
  return { doc, adapter, declared, urlPath };
}

test('production matching is by hostname only', () => {
  const cases = {
    'weibo.com': 'weibo', 'www.weibo.com': 'weibo', 'm.weibo.cn': 'weibo', 'api.weibo.com': 'weibo',
    'www.bilibili.com': 'bilibili', 'message.bilibili.com': 'bilibili', 't.bilibili.com': 'bilibili',
    'www.douyin.com': 'douyin', 'www.zhihu.com': 'zhihu', 'zhuanlan.zhihu.com': 'zhihu',
    'www.youtube.com': 'youtube', 'm.youtube.com': 'youtube',
    'x.com': 'x', 'twitter.com': 'x', 'mobile.twitter.com': 'x',
    'www.reddit.com': 'reddit', 'old.reddit.com': 'reddit',
    'example.org': 'generic', 'myblog.wordpress.com': 'generic', 'notx.com': 'generic', 'x.com.evil.net': 'generic',
  };
  for (const [host, name] of Object.entries(cases)) assert.equal(adapterForHost(host).name, name, host);
  // a page's declaration counts only in the extension's test mode
  assert.equal(selectAdapter({ hostname: 'example.org', declared: 'weibo', testMode: false }).name, 'generic');
  assert.equal(selectAdapter({ hostname: 'example.org', declared: 'weibo', testMode: true }).name, 'weibo');
  assert.equal(selectAdapter({ hostname: 'x.com', declared: 'nonsense', testMode: true }).name, 'x');
  assert.equal(adapterByName('nope'), null);
});

test('every adapter is well-formed data', () => {
  assert.equal(SITE_ADAPTERS.length, 7);
  for (const a of ALL_ADAPTERS) {
    assert.equal(typeof a.name, 'string');
    assert.ok(Array.isArray(a.hosts));
    assert.ok(a.comments.length > 0, a.name);
    for (const set of a.comments) assert.equal(typeof set.item, 'string');
    if (a.messages) assert.ok(a.messages.path instanceof RegExp, a.name);
    assert.ok(a.composer && a.composer.input, a.name);
  }
  assert.equal(GENERIC.hosts.length, 0);
  const pats = supportedMatchPatterns();
  assert.ok(pats.includes('https://*.weibo.com/*') && pats.includes('https://x.com/*'));
});

const pages = htmlFiles(PAGES);

test('the fixture pages exist for every site adapter and some generic sites', () => {
  const declared = new Set(pages.map((p) => load(p).declared));
  for (const a of ALL_ADAPTERS) assert.ok(declared.has(a.name), `a fixture page for ${a.name}`);
  assert.ok(pages.length >= 15);
});

for (const path of pages) {
  const name = relative(PAGES, path);
  test(`adapter finds exactly the marked items on ${name}`, () => {
    const { doc, adapter, urlPath } = load(path);
    const expected = doc.querySelectorAll('[data-expect]');
    assert.ok(expected.length >= 2, 'page has marked items');
    const messageView = isMessageView(adapter, urlPath);
    const found = messageView ? findMessages(doc, adapter) : findComments(doc, adapter);
    assert.deepEqual(found.map((f) => f.el), expected, 'same elements, same order');
    for (const f of found) {
      assert.ok(f.text.length > 3, 'has text');
      assert.ok(f.textEl !== null);
      assert.ok(!/\d{1,2}:\d{2}|小时前|2024-05-01|Reply|↩/.test(f.text), `metadata kept out of the text: ${f.text}`);
    }
    if (messageView) {
      assert.ok(found.every((f) => f.relation === 'stranger' || adapter.name === 'reddit'), 'stranger banner read');
      const outgoing = doc.querySelectorAll(adapter.messages.item).filter((el) => !el.getAttribute('data-expect'));
      assert.ok(outgoing.length >= 1, 'page has an outgoing message that is left alone');
    } else {
      assert.ok(found.some((f) => f.author), 'authors found');
    }
    // the composer and its send control are recognised by the adapter's selectors
    if (doc.querySelector('textarea, [contenteditable="true"]')) {
      const c = adapter.composer;
      const inputs = doc.querySelectorAll(c.input);
      assert.ok(inputs.length >= 1, `composer input found on ${name}`);
    }
  });
}

test('skip() lets the caller leave handled items out', () => {
  const { doc, adapter } = load(join(PAGES, 'x.html'));
  const all = findComments(doc, adapter);
  const rest = findComments(doc, adapter, { skip: (el) => el === all[0].el });
  assert.equal(rest.length, all.length - 1);
});

test('items without worthwhile text and broken selectors are ignored', () => {
  const doc = parseHTML('<div class="c"><p class="t">!!</p></div><div class="c"><p class="t">real words</p></div><div class="c"></div>');
  const found = collectItems(doc, [{ item: '.c', text: '.t' }, { item: 'div[', text: '.t' }]);
  assert.deepEqual(found.map((f) => f.text), ['real words']);
});

test('message views are recognised by path', () => {
  const x = adapterByName('x');
  assert.ok(isMessageView(x, '/messages/123-456'));
  assert.ok(!isMessageView(x, '/home'));
  assert.ok(!isMessageView(adapterByName('youtube'), '/messages'));
  assert.ok(isMessageView(adapterByName('reddit'), '/message/inbox/'));
});

test('submit labels in English and Chinese', () => {
  for (const l of ['Post', 'send', 'Reply', 'Comment', '发布', '发送', '评论', '回复', ' Tweet ']) assert.ok(isSubmitLabel(l), l);
  for (const l of ['Cancel', 'Like', 'Post a comment about cats', '', null]) assert.ok(!isSubmitLabel(l), String(l));
});
