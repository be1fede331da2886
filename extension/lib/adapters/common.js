// The pure part of the site adapters: given a DOM-like root (the browser's DOM, open shadow
// roots included, or the tests' tiny parser), find the comments, the direct messages and the
// composers an adapter describes. No network, no page changes.

import { cleanText, isWorthChecking } from '../text.js';

/** An adapter is plain data:
 * {
 *   name, hosts: [...],
 *   comments: [{ item, text?, author?, authorAttr?, exclude?, notInside?, visibleOnly? }],  // several markups per site
 *   messages?: { path: RegExp, item, text?, author?, sender?, outgoing?, outgoingInside?, incoming?, skip?, stranger? },
 *   composer?: { input, submit, enterSends? },
 * }
 *
 * Selectors reach into open shadow roots in two ways:
 *  - items are searched in the document and in every open shadow root under it;
 *  - `text` and `author` are paths: " >>> " steps into the shadow root of the element matched so
 *    far (a path that starts with ">>>" starts in the item's own shadow root). Bilibili's text is
 *    ">>> bili-rich-text >>> #contents": item → its shadow root → bili-rich-text → its shadow
 *    root → #contents.
 * A text element must belong to the item itself: when the nearest item above it (crossing shadow
 * boundaries) is another one, a nested reply's, it is not this item's text.
 */

export const SHADOW_STEP = '>>>';

function safeAll(root, selector) {
  try { return root.querySelectorAll(selector); } catch { return []; }
}

function safeMatches(el, selector) {
  if (!el || el.nodeType !== 1 || !selector) return false;
  try { return el.matches(selector); } catch { return false; }
}

/** Every open shadow root in `node`'s subtree (the node's own one included), nested ones too. */
export function shadowRootsUnder(node, out = []) {
  if (!node) return out;
  if (node.nodeType === 1 && node.shadowRoot) {
    out.push(node.shadowRoot);
    shadowRootsUnder(node.shadowRoot, out);
  }
  for (const el of safeAll(node, '*')) {
    if (el.shadowRoot) {
      out.push(el.shadowRoot);
      shadowRootsUnder(el.shadowRoot, out);
    }
  }
  return out;
}

/** querySelectorAll over `root` and every open shadow root below it (`roots` may be given). */
export function deepQueryAll(root, selector, roots = null) {
  const out = [];
  if (root.nodeType === 1 && safeMatches(root, selector)) out.push(root);
  for (const el of safeAll(root, selector)) out.push(el);
  for (const sr of roots || shadowRootsUnder(root)) for (const el of safeAll(sr, selector)) out.push(el);
  return out;
}

/** closest() that continues past a shadow root to its host. */
export function closestDeep(el, selector) {
  let cur = el && el.nodeType === 1 ? el : el && el.parentElement;
  while (cur) {
    let hit = null;
    try { hit = cur.closest(selector); } catch { return null; }
    if (hit) return hit;
    const root = typeof cur.getRootNode === 'function' ? cur.getRootNode() : null;
    cur = root && root.host ? root.host : null;
  }
  return null;
}

/** Split a selector list at its top-level commas (not inside (), [] or quotes). */
export function splitList(selector) {
  const out = [];
  let depth = 0; let quote = null; let cur = '';
  for (const ch of String(selector)) {
    if (quote) { if (ch === quote) quote = null; cur += ch; continue; }
    if (ch === '"' || ch === "'") { quote = ch; cur += ch; continue; }
    if (ch === '(' || ch === '[') depth++;
    if (ch === ')' || ch === ']') depth--;
    if (ch === ',' && depth === 0) { out.push(cur.trim()); cur = ''; continue; }
    cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/**
 * The first element a path (see above) leads to from `el` that `accept` takes, or null. The
 * selectors of a list are tried in PRIORITY order (the first one that finds an element wins),
 * not in document order: ".comment-content, .comment-body" prefers the content.
 */
export function queryPath(el, path, accept = null) {
  if (!path) return el;
  const steps = String(path).split(SHADOW_STEP).map((s) => s.trim());
  const walk = (node, i) => {
    if (i === steps.length) return !accept || accept(node) ? node : null;
    let scope = node;
    if (i > 0) {
      scope = node.shadowRoot;
      if (!scope) return null;
    }
    const sel = steps[i];
    if (!sel) return i === 0 ? walk(node, i + 1) : null;
    for (const alt of splitList(sel)) {
      for (const hit of safeAll(scope, alt)) {
        const end = walk(hit, i + 1);
        if (end) return end;
      }
    }
    return null;
  };
  return walk(el, 0);
}

export function authorOf(el, set) {
  if (set.authorAttr) {
    const v = el.getAttribute(set.authorAttr);
    if (v) return cleanText(v, 200);
  }
  if (set.author) {
    const a = queryPath(el, set.author);
    if (a) return cleanText(a.textContent || a.getAttribute?.('alt') || '', 200);
  }
  return '';
}

/**
 * A stable id for the author: the absolute http(s) URL (origin + path) of the profile link in or
 * around the author element, or '' when the page has none.  Display names are never ids: the
 * server's repeat-offender signal must not count everyone called "unknown" as one person, and a
 * name alone would let anyone be framed by it.
 */
export function profileIdOf(el) {
  if (!el) return '';
  let link = null;
  try { link = el.closest?.('a[href]') || el.querySelector?.('a[href]') || null; } catch { link = null; }
  if (!link) return '';
  try {
    const url = new URL(link.getAttribute('href'), el.ownerDocument?.baseURI || globalThis.location?.href);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return '';
    if (url.pathname === '/' || url.pathname === '') return '';
    return (url.origin + url.pathname).slice(0, 256);
  } catch {
    return '';
  }
}

export function authorIdOf(el, set) {
  if (!set.author) return '';
  return profileIdOf(queryPath(el, set.author));
}

/** Kindshield's own labels and dialogs (data-ks-ui) are never page content. */
function isOurUi(el) {
  try { return Boolean(el.closest && el.closest('[data-ks-ui]')); } catch { return false; }
}

/** All item selectors of a kind as one list (those that parse: `probe` checks them). */
function unionOf(sets, probe) {
  return (sets || []).map((s) => s.item).filter((sel) => {
    if (!sel) return false;
    if (!probe || typeof probe.matches !== 'function') return true;
    try { probe.matches(sel); return true; } catch { return false; }
  }).join(', ');
}

function probeOf(node) {
  if (!node) return null;
  if (node.nodeType === 1) return node;
  if (node.nodeType === 9) return node.documentElement || node.children?.[0] || null;
  return node.host || node.parentElement || null;
}

function isHidden(el) {
  if (typeof el.getBoundingClientRect !== 'function') return false; // not a browser: nothing is laid out
  if (typeof el.checkVisibility === 'function' && !el.checkVisibility()) return true;
  const r = el.getBoundingClientRect();
  return r.width === 0 || r.height === 0; // 0x0 pre-rendered nodes (Douyin)
}

function excluded(el, set) {
  if (!set.exclude) return false;
  if (safeMatches(el, set.exclude)) return true;
  try { return el.querySelector(set.exclude) !== null; } catch { return false; }
}

/** One item record for element `el` of selector set `set`, or null when it has nothing to check. */
export function readItem(el, set, union) {
  if (excluded(el, set)) return null;
  if (set.notInside && el.parentElement && closestDeep(el.parentElement, set.notInside)) return null;
  if (set.visibleOnly && isHidden(el)) return null;
  // the text must be this item's own (not a nested reply's) and never one of our labels
  const own = (t) => !isOurUi(t) && (!union || closestDeep(t, union) === el);
  const textEl = set.text ? queryPath(el, set.text, own) : el;
  if (!textEl) return null;
  if (!set.text && hasNestedItem(el, set)) return null;
  const text = cleanText(textEl.textContent || '');
  if (!isWorthChecking(text)) return null;
  return { el, textEl, text, author: authorOf(el, set), authorId: authorIdOf(el, set) };
}

function hasNestedItem(el, set) {
  try { return el.querySelector(set.item) !== null; } catch { return false; }
}

/**
 * Items of one kind in `root` (shadow roots included), in order of each selector set:
 * [{ el, textEl, text, author }]. Items without a worthwhile text are left out; an element
 * that two sets both match appears once.
 */
export function collectItems(root, sets, { skip, roots } = {}) {
  const out = [];
  const seen = new Set();
  const union = unionOf(sets, probeOf(root));
  const shadow = roots || shadowRootsUnder(root);
  for (const set of sets || []) {
    for (const el of deepQueryAll(root, set.item, shadow)) {
      if (seen.has(el)) continue;
      seen.add(el);
      if (skip && skip(el)) continue;
      const it = readItem(el, set, union);
      if (it) out.push(it);
    }
  }
  return out;
}

/**
 * The items a set of changed nodes touches: items inside them (shadow roots included) and the
 * item each one sits in (a text edit in a reused node). `onRoot(shadowRoot)` hears of every
 * shadow root met on the way, so the caller can observe it.
 */
export function itemsTouched(nodes, sets, { onRoot, skip } = {}) {
  const found = new Map(); // el -> set
  const union = unionOf(sets, probeOf(nodes[0]));
  for (const node of nodes) {
    if (!node) continue;
    const roots = node.nodeType === 1 || node.nodeType === 9 || node.nodeType === 11 ? shadowRootsUnder(node) : [];
    if (onRoot) roots.forEach(onRoot);
    for (const set of sets || []) {
      const up = node.nodeType === 1 ? closestDeep(node, set.item) : (node.host ? closestDeep(node.host, set.item) : null);
      if (up && !found.has(up)) found.set(up, set);
      if (node.nodeType === 3) continue;
      for (const el of deepQueryAll(node, set.item, roots)) if (!found.has(el)) found.set(el, set);
    }
  }
  const out = [];
  for (const [el, set] of found) {
    if (skip && skip(el)) continue;
    const it = readItem(el, set, union);
    if (it) out.push(it);
  }
  return out;
}

export function findComments(root, adapter, opts) {
  return collectItems(root, adapter.comments, opts);
}

/** Is `location` (pathname + hash) a message view for this adapter? */
export function isMessageView(adapter, pathAndHash) {
  const m = adapter.messages;
  return Boolean(m && m.path && m.path.test(pathAndHash || ''));
}

/** Is a message row one the person received (not sent by them, not a system row)? */
export function isIncoming(el, m) {
  if (m.skip && safeMatches(el, m.skip)) return false;
  if (m.outgoing) {
    // the row itself, or a marker inside it ("from me" bubbles)
    if (safeMatches(el, m.outgoing)) return false;
    if (m.outgoingInside) {
      try { if (el.querySelector(m.outgoingInside)) return false; } catch { /* bad selector */ }
    }
  }
  if (m.incoming) return safeMatches(el, m.incoming);
  return true;
}

/** Who the conversation is with, and whether the page calls them a stranger. */
export function conversationOf(root, m) {
  let sender = '';
  let senderId = '';
  if (m.sender) {
    const el = deepQueryAll(root.ownerDocument || root, m.sender)[0];
    if (el) {
      sender = cleanText(el.textContent || '', 200);
      senderId = profileIdOf(el);
    }
  }
  let relation = 'following';
  if (m.stranger && deepQueryAll(root.ownerDocument || root, m.stranger).length) relation = 'stranger';
  return { sender, senderId, relation };
}

/** Incoming direct messages from `items` (records of the message set), with sender and relation. */
export function incomingOf(items, root, m) {
  if (!items.length) return []; // no deep walk for the header when nothing changed
  const conv = conversationOf(root, m);
  return items.filter((it) => isIncoming(it.el, m))
    .map((it) => ({ ...it, author: it.author || conv.sender, authorId: it.authorId || conv.senderId, relation: conv.relation }));
}

/** Incoming direct messages in `root`. */
export function findMessages(root, adapter, opts) {
  const m = adapter.messages;
  if (!m) return [];
  return incomingOf(collectItems(root, [m], opts), root, m);
}

const SUBMIT_WORDS = /^(post|send|reply|comment|submit|tweet|publish|respond|发布|发送|评论|回复|发表|提交|发帖|发弹幕|send message)$/i;

/** Does a button's visible label read like "post" / "send" / "发布"? */
export function isSubmitLabel(label) {
  return SUBMIT_WORDS.test(cleanText(label || '', 40));
}
