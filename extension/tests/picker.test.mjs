// "Pick a comment" (issue 32): selectors derived from one clicked comment find that site's other
// comments and their words; stored rules are bounded and well-formed.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHTML } from './helpers/minidom.mjs';
import { deriveComment, deriveExclude, itemFromTarget, addRule, normalizePicked, rulesFor } from '../lib/picker.js';
import { collectItems } from '../lib/adapters/common.js';

const PAGES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'tests', 'e2e', 'pages', 'custom');
const load = (name) => parseHTML(readFileSync(join(PAGES, name), 'utf8'));

test('a click on the words of one comment gives selectors for all of them (page the fallback misses)', () => {
  const doc = load('picker-miss.html');
  const clicked = doc.querySelectorAll('.tx')[1];
  const rule = deriveComment(clicked);
  assert.deepEqual(rule, { item: '#q7 > div.x9', text: 'div.tx' });
  const items = collectItems(doc, [rule]);
  assert.equal(items.length, 4);
  assert.deepEqual(items.map((i) => i.el.getAttribute('data-expect')), ['benign', 'abusive', 'benign', 'abusive']);
  assert.ok(items.every((i) => !i.text.includes('anon') && !i.text.includes('Tue')), 'the words, not the byline');
});

test('a click on the byline still finds the comment; the words default to the clicked element', () => {
  const doc = load('picker-miss.html');
  assert.equal(itemFromTarget(doc.querySelector('.hd')).getAttribute('class'), 'x9');
});

test('a click outside any repeated element gives no rule', () => {
  const doc = parseHTML('<html><body><div id="a"><p>Only one paragraph of text here.</p></div></body></html>');
  assert.equal(deriveComment(doc.querySelector('p')), null);
});

test('exclusion selectors name the region', () => {
  const doc = load('two-sections.html');
  assert.equal(deriveExclude(doc.querySelector('.side-post'), doc.querySelector('.latest-comments')), 'aside.col-side div.side-box.latest-comments');
  assert.equal(deriveExclude(doc.querySelector('body')), '');
});

test('stored rules: per origin, no duplicates, bounded, malformed entries dropped', () => {
  let map = addRule({}, 'http://localhost:8000', { comment: { item: '#q7 > div.x9', text: 'div.tx' } }, '2026-01-01');
  map = addRule(map, 'http://localhost:8000', { comment: { item: '#q7 > div.x9', text: 'div.tx' } }, '2026-01-02');
  map = addRule(map, 'http://localhost:8000', { exclude: '.sidebar' }, '2026-01-02');
  assert.deepEqual(map, { 'http://localhost:8000': { comments: [{ item: '#q7 > div.x9', text: 'div.tx' }], exclude: ['.sidebar'], updated: '2026-01-02' } });
  assert.deepEqual(rulesFor(map, 'http://localhost:8000'), { comments: [{ item: '#q7 > div.x9', text: 'div.tx' }], exclude: '.sidebar' });
  assert.deepEqual(rulesFor(map, 'https://other.example'), { comments: [], exclude: '' });
  assert.deepEqual(normalizePicked({ 'javascript:x': { comments: [{ item: 'a' }] }, 'https://a.b': { comments: [{ item: '' }, { item: 'x{}' }, 5], exclude: [''] } }), {});
  for (let i = 0; i < 30; i++) map = addRule(map, 'https://a.b', { exclude: `.x${i}` });
  assert.equal(map['https://a.b'].exclude.length, 20);
});
