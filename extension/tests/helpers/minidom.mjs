// A tiny HTML parser and CSS selector matcher for node tests of the adapters' pure parts.
// Supports what the adapters use: tag, #id, .class, [attr], [attr=v|^=|$=|*=|~=], "*",
// descendant and child combinators, selector lists; querySelector(All), matches, closest,
// getAttribute, textContent, getRootNode; <template shadowrootmode="open"> becomes the parent's
// shadowRoot (host set), as in browsers. Not a browser: well-formed fixture HTML only.

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const RAW = new Set(['script', 'style', 'textarea', 'title']);
const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', '#39': "'" };

function decode(s) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (m, name) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[name.toLowerCase()] ?? m;
  });
}

class Text {
  constructor(data) { this.nodeType = 3; this.data = data; this.parentNode = null; }
  get textContent() { return this.data; }
}

class Element {
  constructor(tag, attrs = {}) {
    this.nodeType = 1;
    this.tagName = tag.toUpperCase();
    this.localName = tag.toLowerCase();
    this.attrs = attrs;
    this.childNodes = [];
    this.parentNode = null;
  }
  get children() { return this.childNodes.filter((n) => n.nodeType === 1); }
  get parentElement() { return this.parentNode && this.parentNode.nodeType === 1 ? this.parentNode : null; }
  getAttribute(name) { const v = this.attrs[name.toLowerCase()]; return v === undefined ? null : v; }
  hasAttribute(name) { return name.toLowerCase() in this.attrs; }
  get id() { return this.attrs.id || ''; }
  get className() { return this.attrs.class || ''; }
  get classList() { return (this.attrs.class || '').split(/\s+/).filter(Boolean); }
  get textContent() {
    if (this.localName === 'script' || this.localName === 'style') return '';
    return this.childNodes.map((n) => n.textContent).join('');
  }
  append(node) { node.parentNode = this; this.childNodes.push(node); }
  contains(node) { for (let n = node; n; n = n.parentNode) if (n === this) return true; return false; }
  get nextElementSibling() {
    const sibs = this.parentNode ? this.parentNode.children : [];
    return sibs[sibs.indexOf(this) + 1] || null;
  }
  *descendants() {
    for (const c of this.childNodes) {
      // <template> content is inert in browsers: not reachable by selectors
      if (c.nodeType === 1) { yield c; if (c.localName !== 'template') yield* c.descendants(); }
    }
  }
  querySelectorAll(selector) {
    const list = parseSelectorList(selector);
    const out = [];
    for (const el of this.descendants()) if (list.some((s) => matchComplex(el, s))) out.push(el);
    return out;
  }
  querySelector(selector) {
    const list = parseSelectorList(selector);
    for (const el of this.descendants()) if (list.some((s) => matchComplex(el, s))) return el;
    return null;
  }
  getRootNode() {
    let n = this;
    while (n.parentNode) n = n.parentNode;
    return n;
  }
  matches(selector) { return parseSelectorList(selector).some((s) => matchComplex(this, s)); }
  closest(selector) {
    const list = parseSelectorList(selector);
    for (let el = this; el && el.nodeType === 1; el = el.parentNode) if (list.some((s) => matchComplex(el, s))) return el;
    return null;
  }
}

export function parseHTML(html) {
  const doc = new Element('#document');
  doc.nodeType = 9;
  const stack = [doc];
  const top = () => stack[stack.length - 1];
  let i = 0;
  while (i < html.length) {
    if (html.startsWith('<!--', i)) {
      const end = html.indexOf('-->', i + 4);
      i = end < 0 ? html.length : end + 3;
    } else if (html.startsWith('<!', i) || html.startsWith('<?', i)) {
      const end = html.indexOf('>', i);
      i = end < 0 ? html.length : end + 1;
    } else if (html.startsWith('</', i)) {
      const end = html.indexOf('>', i);
      const name = html.slice(i + 2, end).trim().toLowerCase();
      for (let k = stack.length - 1; k > 0; k--) {
        if (stack[k].localName === name) { stack.length = k; break; }
      }
      i = end + 1;
    } else if (html[i] === '<' && /[a-zA-Z]/.test(html[i + 1] || '')) {
      const m = /^<([a-zA-Z][\w:-]*)/.exec(html.slice(i));
      const tag = m[1].toLowerCase();
      i += m[0].length;
      const attrs = {};
      const attrRe = /^\s*([^\s"'>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/;
      for (;;) {
        const rest = html.slice(i);
        const close = /^\s*(\/?)>/.exec(rest);
        if (close) { i += close[0].length; break; }
        const a = attrRe.exec(rest);
        if (!a) { i += 1; continue; }
        attrs[a[1].toLowerCase()] = decode(a[2] ?? a[3] ?? a[4] ?? '');
        i += a[0].length;
      }
      if (tag === 'template' && attrs.shadowrootmode === 'open') {
        // a declarative open shadow root: becomes the parent's shadowRoot, not a child
        const root = new Element('template');
        root.nodeType = 11;
        root.host = top();
        top().shadowRoot = root;
        stack.push(root);
        continue;
      }
      const el = new Element(tag, attrs);
      top().append(el);
      if (RAW.has(tag)) {
        const end = html.toLowerCase().indexOf(`</${tag}`, i);
        const stop = end < 0 ? html.length : end;
        el.append(new Text(tag === 'textarea' || tag === 'title' ? decode(html.slice(i, stop)) : html.slice(i, stop)));
        i = stop;
        const gt = html.indexOf('>', i);
        i = gt < 0 ? html.length : gt + 1;
      } else if (!VOID.has(tag)) {
        stack.push(el);
      }
    } else {
      const next = html.indexOf('<', i + 1);
      const stop = next < 0 ? html.length : next;
      top().append(new Text(decode(html.slice(i, stop))));
      i = stop;
    }
  }
  doc.documentElement = doc.children.find((c) => c.localName === 'html') || doc.children[0] || null;
  return doc;
}

// ---- selectors ----
const cache = new Map();

function splitTopLevel(s, sep) {
  const out = [];
  let depth = 0; let quote = null; let cur = '';
  for (const ch of s) {
    if (quote) { if (ch === quote) quote = null; cur += ch; continue; }
    if (ch === '"' || ch === "'") { quote = ch; cur += ch; continue; }
    if (ch === '[' || ch === '(') depth++;
    if (ch === ']' || ch === ')') depth--;
    if (ch === sep && depth === 0) { out.push(cur); cur = ''; continue; }
    cur += ch;
  }
  out.push(cur);
  return out;
}

function parseSelectorList(selector) {
  if (cache.has(selector)) return cache.get(selector);
  const list = splitTopLevel(selector, ',').map((s) => parseComplex(s.trim()));
  cache.set(selector, list);
  return list;
}

function parseComplex(s) {
  // returns [{compound, combinator}] right to left: combinator links to the one before it
  const parts = [];
  const re = /\s*(>)\s*|\s+/y;
  let pos = 0; let comb = null;
  while (pos < s.length) {
    const { compound, end } = parseCompound(s, pos);
    parts.push({ compound, combinator: comb });
    pos = end;
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) break;
    comb = m[1] ? '>' : ' ';
    pos = re.lastIndex;
  }
  return parts;
}

function parseCompound(s, pos) {
  const c = { tag: null, id: null, classes: [], attrs: [], nots: [] };
  const re = /([a-zA-Z][\w-]*|\*)|#([\w-]+)|\.([\w-]+)|\[\s*([\w:-]+)\s*(?:([\^$*~|]?=)\s*(?:"([^"]*)"|'([^']*)'|([^\]\s]+))\s*)?\]|:not\(([^()]*)\)/y;
  re.lastIndex = pos;
  let m;
  while (pos < s.length && (m = re.exec(s))) {
    if (m[1]) c.tag = m[1] === '*' ? null : m[1].toLowerCase();
    else if (m[2]) c.id = m[2];
    else if (m[3]) c.classes.push(m[3]);
    else if (m[9] !== undefined) c.nots.push(parseCompound(m[9].trim(), 0).compound);
    else if (m[4]) c.attrs.push({ name: m[4].toLowerCase(), op: m[5] || null, value: m[6] ?? m[7] ?? m[8] ?? null });
    pos = re.lastIndex;
  }
  if (pos < s.length && !/[\s>]/.test(s[pos])) throw new SyntaxError(`unsupported selector near "${s.slice(pos)}"`);
  return { compound: c, end: pos };
}

function matchCompound(el, c) {
  if (c.tag && el.localName !== c.tag) return false;
  if (c.nots && c.nots.some((n) => matchCompound(el, n))) return false;
  if (c.id && el.getAttribute('id') !== c.id) return false;
  if (c.classes.length) {
    const cl = el.classList;
    if (!c.classes.every((x) => cl.includes(x))) return false;
  }
  for (const a of c.attrs) {
    const v = el.getAttribute(a.name);
    if (v === null) return false;
    if (!a.op) continue;
    const w = a.value;
    if (a.op === '=' && v !== w) return false;
    if (a.op === '^=' && !(w && v.startsWith(w))) return false;
    if (a.op === '$=' && !(w && v.endsWith(w))) return false;
    if (a.op === '*=' && !(w && v.includes(w))) return false;
    if (a.op === '~=' && !v.split(/\s+/).includes(w)) return false;
    if (a.op === '|=' && !(v === w || v.startsWith(`${w}-`))) return false;
  }
  return true;
}

function matchComplex(el, parts, idx = parts.length - 1) {
  if (!matchCompound(el, parts[idx].compound)) return false;
  if (idx === 0) return true;
  const comb = parts[idx].combinator;
  if (comb === '>') {
    const p = el.parentElement;
    return Boolean(p) && matchComplex(p, parts, idx - 1);
  }
  for (let p = el.parentElement; p; p = p.parentElement) {
    if (matchComplex(p, parts, idx - 1)) return true;
  }
  return false;
}
