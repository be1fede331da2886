// The fallback reader (issue 32): comments on pages whose markup no adapter knows. It runs after
// the known comment systems (generic.js) and the person's own picked selectors, on pages the
// generic adapter reads, and only reads: it never changes the page.
//
//  1. Sections: elements named as comment sections by class, id, aria-label or role, or by a
//     short heading ("Reader comments", 全部回复, コメント, 댓글…), in several languages. Never
//     inside navigation, page headers/footers, forms or menus; never the whole page (html, body,
//     main, or anything holding an h1 or nav), never a known system's section.
//  2. Items: repeated siblings inside a section (same tag, sharing a class or both classless)
//     that look like comments: named like one (comment, reply, post, floor, 楼…), or holding
//     something besides their words (an author, a date, a floor number, an avatar). Paragraphs
//     of an article, rule lists and link lists have nothing besides their words: never items.
//     Replies nested in an item are items of their own.
//  3. Text: in each item, the element that holds the words: the most own text, not an author,
//     date, floor number, reply/like link, star rating or avatar, and never a nested reply's.
//
// Pure DOM reading (the browser's DOM or the tests' minidom): children, parentElement,
// getAttribute, textContent, childNodes, querySelectorAll, closest.

import { cleanText, isWorthChecking } from '../text.js';

// Section words: substrings of class/id/aria-label/role, or words of a heading.
export const SECTION_RE = /comment|repl(?:y|ies)|review|discussion|discuss|thread|chat|feedback|guestbook|responses|messages|评论|評論|回复|回覆|留言|楼|樓|跟帖|弹幕|評價|评价|讨论|コメント|返信|レビュー|口コミ|댓글|답글|리뷰|commentaire|comentario|kommentar|commenti|отзыв|коммент/i;
// A heading that names a section: short, and about comments ("Reader comments (12)", 全部回复).
const HEADING_MAX = 40;
// Class/id states that mention comments but name no section (WordPress body classes and the like).
const STATE_NAME_RE = /^(?:comments?-(?:open|closed|count|link|number|off|on|disabled|enabled)|no-comments|has-comments|with-comments)$/i;
// Item names: tokens of an item's class/id/role.
const ITEM_TOKEN_RE = /^(?:comments?|comment(?:item|row|box|card|entry|wrap|wrapper|block)|repl(?:y|ies)|review|reviews|post|posts|floor|entry|message|msg|chat|chatline|bubble|response|answer|note|feedback|评论|回复|楼|留言|跟帖|コメント|댓글)$/i;
const ITEM_SUBSTR_RE = /comment|reply|review|floor|楼|评论|回复|留言|コメント|댓글/i;
// Meta tokens: what in an item is not the words.
const META_TOKEN_RE = /^(?:author|authors|user|username|users|name|nick|nickname|avatar|avatars|byline|by|date|time|timestamp|ago|meta|info|floor|floornum|no|num|number|level|lv|rank|badge|badges|vote|votes|voting|like|likes|dislike|helpful|useful|rating|ratings|rate|stars?|score|actions?|toolbar|tools|share|report|count|counter|header|head|footer|foot|title|reply(?:btn|link|button)|btn|button|buttons|link|links|icon|icons|photo|pic|img|image|label|tag|tags|flag|verified|location|ip|device|from|source|poster|who|sender|signature|sig|quote-?author)$/i;
const NO_TEXT_TAGS = new Set(['A', 'BUTTON', 'TIME', 'IMG', 'SVG', 'PICTURE', 'VIDEO', 'AUDIO', 'INPUT', 'TEXTAREA', 'SELECT', 'OPTION', 'LABEL',
  'SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'IFRAME', 'CANVAS', 'HEADER', 'FOOTER', 'NAV', 'CITE', 'ADDRESS', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6',
  'FORM', 'MENU', 'TH', 'THEAD', 'CAPTION', 'LEGEND', 'SUMMARY', 'DT', 'HR', 'BR', 'METER', 'PROGRESS']);
const INLINE_TAGS = new Set(['B', 'I', 'EM', 'STRONG', 'U', 'S', 'MARK', 'CODE', 'Q', 'SUP', 'SUB', 'SPAN', 'A', 'FONT', 'SMALL', 'ABBR', 'BR',
  'IMG', 'DEL', 'INS', 'KBD', 'BDI', 'BDO', 'WBR', 'TT', 'STRIKE', 'BIG']);
const NOT_ITEM_TAGS = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'NAV', 'FORM', 'BUTTON', 'A', 'INPUT', 'TEXTAREA', 'SELECT', 'OPTION',
  'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'IMG', 'SVG', 'BR', 'HR', 'IFRAME', 'CANVAS', 'THEAD', 'CAPTION', 'LEGEND', 'COLGROUP', 'COL', 'HEADER',
  'FOOTER', 'P', 'SPAN', 'B', 'I', 'EM', 'STRONG', 'TIME', 'LABEL', 'DL', 'DT', 'DD']);
const HEADING_SEL = 'h2, h3, h4, h5, h6, [role="heading"], caption, legend'; // h1 names the page, not a section
// A count label standing in for a heading: "5 comments", "12 replies", "32 条评论", "댓글 3개".
const COUNT_RE = /^(?:\d[\d,.]*\s*(?:comments?|replies|reviews?|responses|条评论|條評論|条回复|个回复|條回覆|则评论|楼|コメント|件のコメント|개의 댓글)|(?:comments?|replies|reviews?|评论|回复|コメント|댓글)\s*[(（]?\s*\d[\d,.]*\s*[)）개件条]?)$/i;
// Regions that never hold comments (page-level ones: a comment's own <footer> is fine).
const NEVER_SEL = 'nav, [role="navigation"], [role="banner"], [role="contentinfo"], [role="menu"], [role="menubar"], [role="search"], form, menu, select, [aria-hidden="true"], [hidden], [data-ks-ui]';
const PAGE_LEVEL_SEL = 'body > footer, body > header, body > div > footer, body > div > header';
// A floor number, a date or a count alone: never the words.
const META_TEXT_RE = /^(?:#?\d+\s*(?:楼|樓|f|#|층)?|第?\s*\d+\s*(?:楼|樓)|沙发|板凳|地板|\d{1,4}[-/.年]\d{1,2}[-/.月]\d{1,4}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?|\d{1,2}:\d{2}(?::\d{2})?|\d+\s*(?:s|m|h|d|w|mo|y|min|mins|hours?|days?|weeks?|months?|years?)(?:\s+ago)?|[★☆✩✪⭐\s]+|[\d\s.,/()+-]*)$/i;
// A list of replies inside an item.
const REPLIES_RE = /repl(?:y|ies)|answers?|children|child-comments|sub-?comments|回复|楼中楼|子评论|返信|답글/i;
// A control's label alone ("Reply", "Like (3)", "查看回复"): never the words of a comment.
const UI_LABEL_RE = /^(?:reply|replies|respond|like|likes|unlike|share|report|quote|edit|delete|more|show more|load more|view replies|show replies|hide replies|cancel|submit|post|send|comment|comments|helpful|not helpful|回复|评论|点赞|赞|分享|举报|更多|展开|收起|查看回复|返信|いいね|답글|댓글|좋아요)\s*[(（]?\s*[\d,.]*\s*[)）]?$/i;
const MAX_SECTION_SCAN = 6000; // elements looked at in one section (a runaway page stays cheap)

function tagOf(el) { return el && el.tagName ? String(el.tagName).toUpperCase() : ''; }
function attr(el, name) { try { return (el.getAttribute && el.getAttribute(name)) || ''; } catch { return ''; } }
function classOf(el) { const c = el.className; return typeof c === 'string' ? c : attr(el, 'class'); }
function safeClosest(el, sel) { try { return el.closest ? el.closest(sel) : null; } catch { return null; } }
function safeAll(root, sel) { try { return Array.from(root.querySelectorAll(sel)); } catch { return []; } }
function safeMatches(el, sel) { try { return Boolean(sel) && el.nodeType === 1 && el.matches(sel); } catch { return false; } }
function kids(el) { return el.children ? Array.from(el.children) : []; }

/** An element's names: class, id, aria-label and role, as one string. */
export function nameOf(el) {
  return `${classOf(el)} ${attr(el, 'id')} ${attr(el, 'aria-label')} ${attr(el, 'role')} ${attr(el, 'itemprop')}`;
}

/** Name tokens: "commentText user_name" -> ["comment", "text", "user", "name"]. */
// Name decisions are cached by the name string: a list of thousands repeats a handful of names.
function memo(fn, max = 4000) {
  const cache = new Map();
  return (key) => {
    let v = cache.get(key);
    if (v === undefined) {
      if (cache.size >= max) cache.clear();
      v = fn(key);
      cache.set(key, v);
    }
    return v;
  };
}

export const tokensOf = memo((name) => String(name || '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
  .split(/[^a-z0-9\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+/).filter(Boolean));

const classTokensOf = memo((cls) => cls.split(/\s+/).filter((c) => c && !/\d{3,}/.test(c) && !/^(?:odd|even|first|last|active|selected|open|new|hover|focus|is-|has-)/i.test(c)));
function classTokens(el) { return classTokensOf(classOf(el)); }
const sigOfClass = memo((cls) => classTokensOf(cls).slice().sort().join('.'));

function isStateName(el) {
  const cls = classOf(el).split(/\s+/).filter(Boolean);
  const named = cls.filter((c) => SECTION_RE.test(c));
  return named.length > 0 && named.every((c) => STATE_NAME_RE.test(c)) && !SECTION_RE.test(`${attr(el, 'id')} ${attr(el, 'aria-label')}`);
}

// Parts of an item (its byline, toolbar, header…), never items themselves.
const PART_TOKEN_RE = /^(?:author|authors|user|username|nick|nickname|avatar|byline|date|time|timestamp|meta|info|actions?|toolbar|tools|header|head|footer|foot|vote|votes|like|likes|rating|ratings|stars?|share|report|btn|button|buttons|links?|icons?|badges?|title|label|text|txt|content|contents|body|message-?body|msg-?body)$/i;
const partName = memo((name) => tokensOf(name).some((t) => PART_TOKEN_RE.test(t)));
function isPartOfItem(el) {
  if (NO_TEXT_TAGS.has(tagOf(el))) return true;
  return partName(`${classOf(el)} ${attr(el, 'id')}`);
}
const metaName = memo((name) => tokensOf(name).some((t) => META_TOKEN_RE.test(t)));

function isMetaEl(el) {
  if (NO_TEXT_TAGS.has(tagOf(el))) return true;
  const role = attr(el, 'role');
  if (role === 'button' || role === 'link' || role === 'img' || role === 'toolbar' || role === 'heading') return true;
  return metaName(`${classOf(el)} ${attr(el, 'id')} ${attr(el, 'itemprop')}`);
}

/** Never read: page navigation, page header/footer, forms, menus, hidden parts, our own UI. */
export function inNeverRegion(el) {
  return Boolean(safeClosest(el, NEVER_SEL) || safeClosest(el, PAGE_LEVEL_SEL));
}

/** A heading that names a comment section. */
export function isSectionHeading(el) {
  const text = cleanText(el.textContent || '', 200);
  if (!text || text.length > HEADING_MAX) return false;
  if (text.split(/\s+/).length > 5) return false;
  return SECTION_RE.test(text);
}

function tooBroad(el) {
  const tag = tagOf(el);
  if (tag === 'HTML' || tag === 'BODY' || tag === 'MAIN' || tag === '#DOCUMENT') return true;
  if (attr(el, 'role') === 'main') return true;
  return safeAll(el, 'h1, nav, main, [role="main"]').length > 0;
}

/**
 * Candidate sections in `root`: named elements and the regions of naming headings, outermost
 * first, none inside another, none too broad, none in a never-region, none holding a known
 * system's item (`known`: a selector list).
 */
export function findSections(root, { known = '', exclude = '' } = {}) {
  const cands = new Set();
  const all = root.nodeType === 1 ? [root, ...safeAll(root, '*')] : safeAll(root, '*');
  for (const el of all) {
    const name = nameOf(el);
    if (name.length > 3 && SECTION_RE.test(name) && !isStateName(el)) {
      cands.add(el);
    } else {
      const role = attr(el, 'role');
      if (role === 'feed' || role === 'log' || role === 'comment') cands.add(el);
    }
  }
  const heads = safeAll(root, HEADING_SEL).filter(isSectionHeading);
  for (const el of all) {
    if (el.children && el.children.length === 0 && !safeMatches(el, HEADING_SEL) && !NO_TEXT_TAGS.has(tagOf(el))) {
      const t = (el.textContent || '').trim();
      if (t.length && t.length <= 24 && COUNT_RE.test(t)) heads.push(el);
    }
  }
  for (const h of heads) {
    const parent = h.parentElement;
    if (parent && !tooBroad(parent) && (tagOf(h) !== 'CAPTION' || tagOf(parent) === 'TABLE')) cands.add(parent);
    else if (tagOf(h) === 'CAPTION' && parent) cands.add(parent);
    else {
      // a heading loose in the page: the region is what follows it, up to the next heading
      for (let s = h.nextElementSibling; s && !safeMatches(s, HEADING_SEL); s = s.nextElementSibling) cands.add(s);
    }
  }
  // outermost only, in document order: a candidate inside one already taken is read with it
  const ok = [];
  let last = null;
  for (const el of all) {
    if (!cands.has(el)) continue;
    if (last && last.contains && last.contains(el)) continue;
    if (tooBroad(el) || inNeverRegion(el)) continue;
    if (exclude && (safeMatches(el, exclude) || safeClosest(el, exclude))) continue;
    if (known && (safeMatches(el, known) || safeClosest(el, known) || safeAll(el, known).length)) continue;
    ok.push(el);
    last = el;
  }
  return ok;
}

/** The text an element holds itself: its text nodes and inline children that are not meta. */
export function ownText(el) {
  let out = '';
  for (const n of el.childNodes || []) {
    if (n.nodeType === 3) out += n.data || n.textContent || '';
    else if (n.nodeType === 1 && INLINE_TAGS.has(tagOf(n)) && !isMetaEl(n)) out += ownText(n);
    else if (n.nodeType === 1 && tagOf(n) === 'A' && !isMetaEl(n)) out += n.textContent || '';
  }
  return out;
}

const wordsName = memo((n) => tokensOf(n).some((x) => /^(?:text|txt|content|contents|body|message|msg|desc|description|detail|quote|comment|review|words|p|rich)$/.test(x)));
function textScore(el) {
  const t = cleanText(ownText(el), 5000);
  if (!t || META_TEXT_RE.test(t) || UI_LABEL_RE.test(t)) return 0;
  if (!/[\p{L}]/u.test(t)) return 0;
  let s = t.length;
  if (wordsName(nameOf(el))) s *= 1.5;
  return s;
}

/**
 * The element of `item` holding the words: the most own text, outside meta parts and outside
 * the nested items (`nested`: elements not to enter). Null when there is none worth checking.
 */
export function textOf(item, nested = new Set()) {
  let best = null; let bestScore = 0;
  const visit = (el, depth) => {
    if (depth > 12) return;
    for (const c of kids(el)) {
      if (nested.has(c)) continue;
      if (isMetaEl(c) || inNeverLocal(c)) continue;
      const s = textScore(c);
      if (s > bestScore) { best = c; bestScore = s; }
      visit(c, depth + 1);
    }
  };
  visit(item, 0);
  // the item itself only when no part of it holds most of its words
  const selfScore = textScore(item);
  if (selfScore > bestScore && bestScore < 0.7 * selfScore) { best = item; bestScore = selfScore; }
  if (!best || !isWorthChecking(cleanText(best.textContent || ''))) return null;
  return best;
}

function inNeverLocal(el) {
  const tag = tagOf(el);
  return tag === 'FORM' || tag === 'NAV' || attr(el, 'aria-hidden') === 'true' || el.hasAttribute?.('hidden') || el.hasAttribute?.('data-ks-ui');
}

const itemName = memo((n) => tokensOf(n).some((t) => ITEM_TOKEN_RE.test(t)) || ITEM_SUBSTR_RE.test(n));
function itemNamed(el) {
  return itemName(`${classOf(el)} ${attr(el, 'id')} ${attr(el, 'role')} ${attr(el, 'itemprop')}`);
}

function hasMetaPart(el, textEl) {
  if (safeAll(el, 'time, img, svg, cite, [datetime]').length) return true;
  for (const d of safeAll(el, '*')) {
    if (d === textEl || (textEl && textEl.contains && textEl.contains(d))) continue;
    if (isMetaEl(d) && cleanText(d.textContent || '', 300)) return true;
  }
  return false;
}

/**
 * Does `el` look like a comment? It has words (textOf) and is named like one or holds something
 * besides its words (an author, a date, a floor number, an avatar). Returns its text element.
 */
export function commentLike(el, nested) {
  const tag = tagOf(el);
  if (NOT_ITEM_TAGS.has(tag)) return null;
  if (tag === 'TR' && !kids(el).some((c) => tagOf(c) === 'TD')) return null; // a header row
  if (el.children && el.children.length > 40) return null; // a list, not one comment
  if (inNeverLocal(el)) return null;
  const textEl = textOf(el, nested);
  if (!textEl) return null;
  if (itemNamed(el)) return textEl;
  if (textEl === el) return null; // nothing but words: a paragraph, a rule, a link
  const all = cleanText(el.textContent || '', 5000);
  const words = cleanText(textEl.textContent || '', 5000);
  if (all.length > words.length && hasMetaPart(el, textEl)) return textEl;
  if (tag === 'TR' && all.length > words.length) return textEl;
  return null;
}

function shareClass(a, b) {
  const ta = classTokens(a); const tb = classTokens(b);
  if (!ta.length && !tb.length) return true;
  return ta.some((t) => tb.includes(t));
}

/** Groups of siblings under `parent`: same tag, linked by a shared class (or both classless). */
export function siblingGroups(parent) {
  const byTag = new Map();
  for (const c of kids(parent)) {
    const t = tagOf(c);
    if (!byTag.has(t)) byTag.set(t, []);
    byTag.get(t).push(c);
  }
  const groups = [];
  for (const list of byTag.values()) {
    const left = [...list];
    while (left.length) {
      const g = [left.shift()];
      for (let i = 0; i < g.length; i++) {
        for (let j = left.length - 1; j >= 0; j--) if (shareClass(g[i], left[j])) g.push(left.splice(j, 1)[0]);
      }
      groups.push(g);
    }
  }
  return groups;
}

function sigOf(el) { return `${tagOf(el)}.${sigOfClass(classOf(el))}`; }

/**
 * Items of a section: [{ el, textEl }], in document order, nested replies included as items of
 * their own (a parent's text element never holds a reply).
 */
export function itemsInSection(section, { exclude = '', known = '', seed = null } = {}) {
  const found = new Map(); // item el -> textEl
  const sigs = new Set(seed || []);
  const words = new Set(); // text elements of the items found
  let looked = 0;
  const consider = (parent) => {
    const parentReplies = REPLIES_RE.test(nameOf(parent));
    for (const g of siblingGroups(parent)) {
      // one alone: only a reply with the markup of items already found, or a named reply (cheap checks first)
      if (g.length === 1 && !sigs.has(sigOf(g[0])) && !(itemNamed(g[0]) && (parentReplies || REPLIES_RE.test(nameOf(g[0]))))) continue;
      const like = [];
      for (const el of g) {
        if (found.has(el) || isPartOfItem(el)) continue;
        if (exclude && safeMatches(el, exclude)) continue;
        const nested = nestedItemsOf(el);
        const textEl = commentLike(el, nested);
        if (textEl) like.push([el, textEl, nested]);
      }
      // one alone: a reply with the markup of items already found, or a named item in a replies list
      const single = like.length === 1 && (sigs.has(sigOf(like[0][0])) || (itemNamed(like[0][0]) && (parentReplies || REPLIES_RE.test(nameOf(like[0][0])))));
      if (like.length >= 2 || single) {
        for (const [el, textEl, nested] of like) {
          if (textEl === el && nested.size) continue; // blurring it would blur its replies
          found.set(el, textEl);
          words.add(textEl);
          sigs.add(sigOf(el));
        }
      }
    }
  };
  const walk = (el, depth) => {
    if (depth > 14 || looked > MAX_SECTION_SCAN) return;
    looked++;
    if (inNeverLocal(el) || (exclude && safeMatches(el, exclude))) return;
    consider(el);
    if (!el.firstElementChild && !(el.children && el.children.length)) return;
    for (const c of kids(el)) if (!words.has(c)) walk(c, depth + 1); // words never hold items
  };
  walk(section, 0);
  // an item's words are looked for again outside the replies found in it (ancestor walks: linear
  // in items x depth, never items x items: a list of thousands stays cheap)
  const innerOf = new Map();
  for (const o of found.keys()) {
    for (let p = o.parentElement; p && p !== section.parentElement; p = p.parentElement) {
      if (!found.has(p)) continue;
      if (!innerOf.has(p)) innerOf.set(p, []);
      innerOf.get(p).push(o);
    }
  }
  for (const [el, inner] of innerOf) {
    const textEl = found.get(el);
    if (!textEl || !inner.some((o) => textEl === o || (o.contains && o.contains(textEl)))) continue;
    const again = textOf(el, new Set([...nestedItemsOf(el), ...inner]));
    if (again && again !== el) found.set(el, again); else found.delete(el);
  }
  // an item inside another item's words (a quote, or the words element itself) is not an item
  const wordsOf = new Map(); // words element -> its item (where they differ)
  for (const [el, textEl] of found) if (textEl !== el) wordsOf.set(textEl, el);
  const out = [];
  for (const [el, textEl] of found) {
    let quoted = false;
    for (let p = el; p && p !== section.parentElement; p = p.parentElement) {
      const owner = wordsOf.get(p);
      if (owner !== undefined && owner !== el) { quoted = true; break; }
    }
    if (!quoted) out.push({ el, textEl });
  }
  return out;
}

/** Direct sub-lists of an item that hold replies: elements to stay out of when looking for its words. */
function nestedItemsOf(el) {
  const out = new Set();
  const sig = sigOf(el);
  for (const d of safeAll(el, '*')) {
    // the item's own children that repeat its own shape (a reply written with the item's markup)
    if (sigOf(d) === sig) { out.add(d); continue; }
    if (out.has(d.parentElement) || !REPLIES_RE.test(nameOf(d)) || isMetaEl(d)) continue;
    // a replies container: it holds elements with elements in them (not just a "reply" link)
    if (['UL', 'OL', 'DIV', 'SECTION', 'ASIDE'].includes(tagOf(d)) && kids(d).some((k) => kids(k).length >= 1 && !isMetaEl(k))) out.add(d);
  }
  return out;
}

function authorOfItem(el, textEl) {
  for (const d of safeAll(el, '*')) {
    if (d === textEl || (textEl.contains && textEl.contains(d))) continue;
    if (tagOf(d) === 'CITE' || tokensOf(`${classOf(d)} ${attr(d, 'itemprop')}`).some((t) => /^(?:author|user|username|name|nick|nickname|poster|who|sender)$/.test(t))) {
      const t = cleanText(d.textContent || '', 200);
      if (t) return t;
    }
  }
  return '';
}

/**
 * Every fallback item in `root`: [{ el, textEl, text, author, authorId: '', section }].
 * `known`: the known systems' and picked item selectors (their items are not the fallback's);
 * `exclude`: regions the person said are not comments.
 */
export function detectComments(root, { known = '', exclude = '' } = {}) {
  const out = [];
  const seen = new Set();
  for (const section of findSections(root, { known, exclude })) {
    for (const { el, textEl } of itemsInSection(section, { exclude, known })) {
      if (seen.has(el)) continue;
      seen.add(el);
      const text = cleanText(textEl.textContent || '');
      if (!isWorthChecking(text)) continue;
      out.push({ el, textEl, text, author: authorOfItem(el, textEl), authorId: '', section });
    }
  }
  return out;
}

/**
 * Incremental use in a content script: the first read (and any change outside the sections seen)
 * reads the whole document; changes inside a known section re-read that section only.
 */
export class FallbackReader {
  constructor({ known = '', exclude = '' } = {}) {
    this.known = known;
    this.exclude = exclude;
    this.sections = [];
    this.pendingFull = false;
    this.lastWasFull = false;
    this.lists = new Map();     // list element -> signatures of its items
    this.items = new WeakSet(); // items seen
    this.ms = 0;     // time spent reading (the bench reports it)
    this.reads = 0;
    this.fullReads = 0;
  }

  setRules({ known = this.known, exclude = this.exclude } = {}) {
    this.known = known;
    this.exclude = exclude;
    this.sections = [];
    this.pendingFull = false;
    this.lists = new Map();
    this.items = new WeakSet();
  }

  remember(items) {
    for (const it of items) {
      this.items.add(it.el);
      const p = it.el.parentElement;
      if (!p) continue;
      if (!this.lists.has(p)) this.lists.set(p, new Set());
      this.lists.get(p).add(sigOf(it.el));
    }
  }

  /**
   * The items a change at `n` (inside section `s`) makes: `n` as a new item of a list already
   * seen (infinite scroll), with its replies, or the item a text change happened in. Null when
   * the section has to be read again as a whole.
   */
  readAt(n, s) {
    const opts = { exclude: this.exclude, known: this.known };
    if (this.exclude && (safeMatches(n, this.exclude) || safeClosest(n, this.exclude))) return [];
    const sigs = n.parentElement && this.lists.get(n.parentElement);
    let el = null;
    if (sigs && sigs.has(sigOf(n))) el = n;
    else {
      for (let p = n; p && p !== s; p = p.parentElement) if (this.items.has(p)) { el = p; break; }
      if (!el) return null;
    }
    const inner = itemsInSection(el, { ...opts, seed: [sigOf(el)] }).filter((i) => i.el !== el);
    const nested = new Set([...nestedItemsOf(el), ...inner.map((i) => i.el)]);
    const textEl = commentLike(el, nested);
    const out = [];
    if (textEl && !(textEl === el && nested.size)) out.push({ el, textEl });
    out.push(...inner);
    return out.map(({ el: e, textEl: t }) => ({ el: e, textEl: t, text: cleanText(t.textContent || ''), author: authorOfItem(e, t), authorId: '', section: s }))
      .filter((it) => isWorthChecking(it.text));
  }

  /**
   * Items touched by `nodes` (null: the whole document `doc`). A change outside the sections seen
   * needs a whole-document read; with `allowFull` false that read is left for later
   * (`pendingFull`) and only the sections touched are read now.
   */
  read(doc, nodes = null, { allowFull = true } = {}) {
    const t0 = (globalThis.performance || Date).now();
    this.reads++;
    let items;
    const live = this.sections.filter((s) => s.isConnected !== false);
    const inSection = (n) => live.find((s) => s === n || (s.contains && s.contains(n)));
    const needFull = this.pendingFull || !nodes || !live.length || nodes.some((n) => !inSection(n));
    this.lastWasFull = false;
    if (needFull && allowFull) {
      items = detectComments(doc, { known: this.known, exclude: this.exclude });
      this.sections = Array.from(new Set(items.map((i) => i.section)));
      this.lists = new Map();
      this.pendingFull = false;
      this.lastWasFull = true;
      this.fullReads++;
    } else {
      if (needFull) this.pendingFull = true;
      items = [];
      const whole = new Set();
      for (const n of nodes || []) {
        const s = inSection(n);
        if (!s || whole.has(s)) continue;
        const got = this.readAt(n, s);
        if (got) items.push(...got); else whole.add(s);
      }
      for (const s of whole) {
        for (const { el, textEl } of itemsInSection(s, { exclude: this.exclude, known: this.known })) {
          const text = cleanText(textEl.textContent || '');
          if (isWorthChecking(text)) items.push({ el, textEl, text, author: authorOfItem(el, textEl), authorId: '', section: s });
        }
      }
    }
    this.remember(items);
    this.ms += (globalThis.performance || Date).now() - t0;
    return items;
  }
}
