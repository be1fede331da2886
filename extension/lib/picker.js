// "Pick a comment" and "this is not a comment" (issue 32): the pure part. From the element a person
// clicked, derive the selectors of that site's comments (the repeated item and, inside it, the
// element holding the words) or of a region that is not comments; keep them per origin in
// chrome.storage.local (STORAGE.PICKED), as plain data:
//   { "<origin>": { comments: [{ item, text }], exclude: ["selector", ...], updated: "<ISO date>" } }
// No chrome APIs here: the content script and the options page do the storing.

import { cleanText, isWorthChecking } from './text.js';

export const MAX_RULES = 20;        // per origin and kind
export const MAX_SELECTOR = 300;    // characters

function tagOf(el) { return el && el.tagName ? String(el.tagName).toLowerCase() : ''; }
function kids(el) { return el && el.children ? Array.from(el.children) : []; }
function classOf(el) { const c = el.className; return typeof c === 'string' ? c : (el.getAttribute && el.getAttribute('class')) || ''; }

/** CSS identifier escape (CSS.escape where the browser has it). */
export function cssEscape(s) {
  if (globalThis.CSS && typeof globalThis.CSS.escape === 'function') return globalThis.CSS.escape(s);
  return String(s).replace(/^(\d)/, '\\3$1 ').replace(/[^a-zA-Z0-9_\u00a0-\uffff-]/g, (c) => `\\${c}`);
}

/** Class names that name the thing, not its state or a build hash. */
export function stableClasses(el) {
  return classOf(el).split(/\s+/).filter((c) => c && c.length <= 40 && /^[A-Za-z_-][\w-]*$/.test(c)
    && !/\d{3,}|[A-Z].*[0-9].*[A-Z]|__[a-zA-Z0-9]{5,}$/.test(c) && !/^(?:active|selected|hover|focus|open|is-|has-|ng-|css-|sc-|jsx-|svelte-)/i.test(c));
}

function stableId(el) {
  const id = el.getAttribute && el.getAttribute('id');
  return id && /^[A-Za-z][\w-]{0,60}$/.test(id) && !/\d{3,}/.test(id) ? id : '';
}

/** tag.class.class of an element (its stable classes only). */
export function simpleSelector(el) {
  return tagOf(el) + stableClasses(el).map((c) => `.${cssEscape(c)}`).join('');
}

function sameKind(a, b) {
  if (tagOf(a) !== tagOf(b)) return false;
  const ca = stableClasses(a); const cb = stableClasses(b);
  if (!ca.length && !cb.length) return true;
  return ca.some((c) => cb.includes(c));
}

function repeats(el) {
  const p = el.parentElement;
  return p ? kids(p).filter((k) => sameKind(k, el)).length : 0;
}

/** The comment a click was in: the nearest repeated element above it with more than its words. */
export function itemFromTarget(target) {
  let first = null;
  for (let el = target; el && el.parentElement && !['body', 'html'].includes(tagOf(el)); el = el.parentElement) {
    if (repeats(el) >= 2) {
      if (!first) first = el;
      if (kids(el).length >= 2) return el;
    }
  }
  return first;
}

/** The element holding the words: the clicked element or the nearest one above it with words. */
export function textFromTarget(target, item) {
  for (let el = target; el && el !== item; el = el.parentElement) {
    if (['a', 'button', 'time', 'img', 'svg'].includes(tagOf(el))) continue;
    if (isWorthChecking(cleanText(el.textContent || ''))) return el;
  }
  return item;
}

function contextSelector(el) {
  for (let p = el.parentElement, depth = 0; p && depth < 4; p = p.parentElement, depth++) {
    if (['body', 'html'].includes(tagOf(p))) return '';
    const id = stableId(p);
    if (id) return `#${cssEscape(id)}`;
    if (stableClasses(p).length) return simpleSelector(p);
  }
  return '';
}

/** A selector for the item: its parent (or nearest named ancestor) as context, then the item. */
export function itemSelector(item) {
  const own = simpleSelector(item);
  const p = item.parentElement;
  const ctx = contextSelector(item);
  if (!ctx) return own;
  const direct = p && (stableId(p) || stableClasses(p).length);
  return direct ? `${ctx} > ${own}` : `${ctx} ${own}`;
}

/** A selector for the words element inside the item ('' when the item is its own text). */
export function textSelector(item, textEl) {
  if (!textEl || textEl === item) return '';
  const simple = simpleSelector(textEl);
  try {
    if (stableClasses(textEl).length && item.querySelector(simple) === textEl) return simple;
  } catch { /* fall through to the path */ }
  const steps = [];
  for (let el = textEl; el && el !== item; el = el.parentElement) {
    const sibs = el.parentElement ? kids(el.parentElement).filter((k) => tagOf(k) === tagOf(el)) : [el];
    steps.unshift(sibs.length > 1 ? `${tagOf(el)}:nth-of-type(${sibs.indexOf(el) + 1})` : tagOf(el));
  }
  return `:scope > ${steps.join(' > ')}`;
}

/** From a click on a comment: { item, text } selectors, or null when no repeated item is around it. */
export function deriveComment(target) {
  const item = itemFromTarget(target);
  if (!item) return null;
  const textEl = textFromTarget(target, item);
  const rule = { item: itemSelector(item), text: textSelector(item, textEl) };
  return validRule(rule) ? rule : null;
}

/** From a click on something that is not a comment: a selector for the region (`region` given, or the target). */
export function deriveExclude(target, region = null) {
  const el = region || target;
  if (!el || ['body', 'html'].includes(tagOf(el))) return '';
  const id = stableId(el);
  if (id) return `#${cssEscape(id)}`;
  const own = simpleSelector(el);
  const ctx = contextSelector(el);
  const sel = ctx ? `${ctx} ${own}` : own;
  return sel.length <= MAX_SELECTOR ? sel : '';
}

function validSelector(sel) {
  return typeof sel === 'string' && sel.trim().length > 0 && sel.length <= MAX_SELECTOR && !/[{}<]/.test(sel);
}

function validRule(r) {
  return r && validSelector(r.item) && (r.text === '' || r.text === undefined || validSelector(r.text));
}

/** Only well-formed entries, bounded: what the options page imports and the content script reads. */
export function normalizePicked(raw) {
  const out = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const [origin, v] of Object.entries(raw)) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin) || !v || typeof v !== 'object') continue;
    const comments = (Array.isArray(v.comments) ? v.comments : []).filter(validRule)
      .map((r) => ({ item: r.item.trim(), text: (r.text || '').trim() })).slice(0, MAX_RULES);
    const exclude = (Array.isArray(v.exclude) ? v.exclude : []).filter(validSelector).map((s) => s.trim()).slice(0, MAX_RULES);
    if (comments.length || exclude.length) out[origin] = { comments, exclude, updated: typeof v.updated === 'string' ? v.updated : '' };
  }
  return out;
}

/** The map with one more rule for `origin` (a duplicate is not added twice). */
export function addRule(map, origin, { comment = null, exclude = '' }, now = new Date().toISOString()) {
  const all = normalizePicked(map);
  const cur = all[origin] || { comments: [], exclude: [], updated: '' };
  if (comment && validRule(comment) && !cur.comments.some((r) => r.item === comment.item && r.text === (comment.text || ''))) {
    cur.comments = [{ item: comment.item, text: comment.text || '' }, ...cur.comments].slice(0, MAX_RULES);
  }
  if (exclude && validSelector(exclude) && !cur.exclude.includes(exclude)) cur.exclude = [exclude, ...cur.exclude].slice(0, MAX_RULES);
  cur.updated = now;
  return normalizePicked({ ...all, [origin]: cur });
}

/** The comment selector sets (the adapters' shape) and the exclusion list of one origin. */
export function rulesFor(map, origin) {
  const v = normalizePicked(map)[origin];
  if (!v) return { comments: [], exclude: '' };
  return {
    comments: v.comments.map((r) => (r.text ? { item: r.item, text: r.text } : { item: r.item })),
    exclude: v.exclude.join(', '),
  };
}
