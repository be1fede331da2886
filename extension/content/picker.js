// "Pick a comment" / "This is not a comment" in the page (issue 32): the person points at one
// comment (or at a region that is not comments) and clicks; the selectors derived from it
// (lib/picker.js) are stored for this origin in chrome.storage.local. Our own elements carry
// data-ks-ui (never read as page content); text goes in with textContent only.

import { STORAGE } from '../lib/messages.js';
import { deriveComment, deriveExclude, itemFromTarget, addRule } from '../lib/picker.js';

const WORDS = {
  en: { comment: 'Click one comment. Esc cancels.', exclude: 'Click the part of the page that is not comments. Esc cancels.',
    cancel: 'Cancel', saved: 'Saved for this site.', none: 'No repeated comment found there. Try clicking the words of a comment.' },
  zh: { comment: '点击一条评论。按 Esc 取消。', exclude: '点击页面上不是评论的部分。按 Esc 取消。',
    cancel: '取消', saved: '已为此网站保存。', none: '那里没有找到重复的评论。请点击评论的文字。' },
};

let active = null;

function box(doc) {
  const b = doc.createElement('div');
  b.dataset.ksUi = 'picker-box';
  Object.assign(b.style, { position: 'fixed', zIndex: 2147483646, pointerEvents: 'none', outline: '3px solid #2563eb',
    background: 'rgba(37,99,235,.08)', borderRadius: '4px', display: 'none' });
  return b;
}

function bar(doc, text, cancelText, onCancel) {
  const b = doc.createElement('div');
  b.dataset.ksUi = 'picker-bar';
  b.setAttribute('role', 'status');
  Object.assign(b.style, { position: 'fixed', zIndex: 2147483647, left: '50%', top: '8px', transform: 'translateX(-50%)',
    background: '#1e293b', color: '#fff', font: '14px system-ui,sans-serif', padding: '8px 12px', borderRadius: '8px',
    boxShadow: '0 2px 10px rgba(0,0,0,.3)' });
  const span = doc.createElement('span');
  span.dataset.ksUi = 'picker-words';
  span.textContent = text;
  const btn = doc.createElement('button');
  btn.type = 'button';
  btn.dataset.ksUi = 'picker-cancel';
  btn.textContent = cancelText;
  Object.assign(btn.style, { marginLeft: '10px' });
  btn.addEventListener('click', (e) => { e.preventDefault(); e.stopPropagation(); onCancel(); });
  b.append(span, btn);
  return b;
}

/** Stop picking (Esc, Cancel, or done). */
export function stopPicker() {
  if (!active) return;
  const a = active;
  active = null;
  a.doc.removeEventListener('mousemove', a.onMove, true);
  a.doc.removeEventListener('click', a.onClick, true);
  a.doc.removeEventListener('keydown', a.onKey, true);
  a.box.remove();
  setTimeout(() => a.bar.remove(), a.keepBar ? 2500 : 0);
}

/**
 * Start picking. `mode`: 'comment' | 'exclude'. `regionOf(el)`: the region to exclude around an
 * element (the fallback's section, when there is one). `onSaved(rule)` hears of a stored rule.
 */
export function startPicker({ mode = 'comment', lang = 'en', regionOf = () => null, onSaved = () => {} } = {}) {
  stopPicker();
  const doc = document;
  const w = WORDS[lang === 'zh' ? 'zh' : 'en'];
  const target = (e) => {
    const t = (e.composedPath && e.composedPath()[0]) || e.target;
    return t && t.nodeType === 1 ? t : t && t.parentElement;
  };
  const ours = (el) => Boolean(el && el.closest && el.closest('[data-ks-ui]'));
  const highlightOf = (el) => (mode === 'comment' ? itemFromTarget(el) : (regionOf(el) || el));
  const a = {
    doc,
    mode,
    box: box(doc),
    keepBar: false,
    onMove: (e) => {
      const el = target(e);
      if (!el || ours(el)) return;
      const h = highlightOf(el);
      if (!h) { a.box.style.display = 'none'; return; }
      const r = h.getBoundingClientRect();
      Object.assign(a.box.style, { display: 'block', left: `${r.left}px`, top: `${r.top}px`, width: `${r.width}px`, height: `${r.height}px` });
    },
    onClick: async (e) => {
      const el = target(e);
      if (!el || ours(el)) return;
      e.preventDefault();
      e.stopPropagation();
      const rule = mode === 'comment' ? { comment: deriveComment(el) } : { exclude: deriveExclude(el, regionOf(el)) };
      if (!rule.comment && !rule.exclude) {
        a.bar.querySelector('[data-ks-ui=picker-words]').textContent = w.none;
        return;
      }
      const got = await chrome.storage.local.get(STORAGE.PICKED);
      await chrome.storage.local.set({ [STORAGE.PICKED]: addRule(got[STORAGE.PICKED], location.origin, rule) });
      a.bar.querySelector('[data-ks-ui=picker-words]').textContent = w.saved;
      a.bar.dataset.ksPicked = mode;
      a.keepBar = true;
      stopPicker();
      onSaved(rule);
    },
    onKey: (e) => { if (e.key === 'Escape') stopPicker(); },
  };
  a.bar = bar(doc, mode === 'comment' ? w.comment : w.exclude, w.cancel, stopPicker);
  doc.documentElement.append(a.box, a.bar);
  doc.addEventListener('mousemove', a.onMove, true);
  doc.addEventListener('click', a.onClick, true);
  doc.addEventListener('keydown', a.onKey, true);
  active = a;
  return true;
}
