// The pure part of the site adapters: given a DOM-like root (anything with querySelectorAll,
// textContent and getAttribute: the browser's DOM or the tests' tiny parser), find the comments,
// the direct messages and the composers an adapter describes. No network, no page changes.

import { cleanText, isWorthChecking } from '../text.js';

/** An adapter is plain data:
 * {
 *   name, hosts: [...],
 *   comments: [{ item, text?, author?, authorAttr? }],       // several markups per site (new and legacy)
 *   messages?: { path: RegExp, item, text?, author?, incoming?, stranger? },
 *   composer?: { input, submit, enterSends? },
 * }
 */

function firstMatch(el, selector) {
  if (!selector) return el;
  return el.querySelector(selector);
}

export function authorOf(el, set) {
  if (set.authorAttr) {
    const v = el.getAttribute(set.authorAttr);
    if (v) return cleanText(v, 200);
  }
  if (set.author) {
    const a = el.querySelector(set.author);
    if (a) return cleanText(a.textContent || '', 200);
  }
  return '';
}

/**
 * Items of one kind in `root`, in document order of each selector set:
 * [{ el, textEl, text, author }]. Items without a worthwhile text are left out;
 * an element that two sets both match appears once.
 */
export function collectItems(root, sets, { skip } = {}) {
  const out = [];
  const seen = new Set();
  for (const set of sets || []) {
    let nodes;
    try { nodes = root.querySelectorAll(set.item); } catch { continue; }
    for (const el of nodes) {
      if (seen.has(el)) continue;
      seen.add(el);
      if (skip && skip(el)) continue;
      const textEl = firstMatch(el, set.text);
      if (!textEl) continue;
      if (set.text === undefined && hasNestedItem(el, set)) continue;
      const text = cleanText(textEl.textContent || '');
      if (!isWorthChecking(text)) continue;
      out.push({ el, textEl, text, author: authorOf(el, set) });
    }
  }
  return out;
}

function hasNestedItem(el, set) {
  try { return el.querySelector(set.item) !== null; } catch { return false; }
}

export function findComments(root, adapter, opts) {
  return collectItems(root, adapter.comments, opts);
}

/** Is `location` (pathname + hash) a message view for this adapter? */
export function isMessageView(adapter, pathAndHash) {
  const m = adapter.messages;
  return Boolean(m && m.path && m.path.test(pathAndHash || ''));
}

/** Incoming direct messages, with the relation to the sender as the page shows it. */
export function findMessages(root, adapter, opts) {
  const m = adapter.messages;
  if (!m) return [];
  const items = collectItems(root, [m], opts);
  const incoming = m.incoming ? items.filter((it) => matches(it.el, m.incoming)) : items;
  let relation = 'following';
  if (m.stranger) {
    try { if (root.querySelector(m.stranger)) relation = 'stranger'; } catch { /* bad selector */ }
  }
  return incoming.map((it) => ({ ...it, relation }));
}

function matches(el, selector) {
  try { return el.matches(selector); } catch { return false; }
}

const SUBMIT_WORDS = /^(post|send|reply|comment|submit|tweet|publish|respond|发布|发送|评论|回复|发表|提交|发帖|发弹幕|send message)$/i;

/** Does a button's visible label read like "post" / "send" / "发布"? */
export function isSubmitLabel(label) {
  return SUBMIT_WORDS.test(cleanText(label || '', 40));
}
