// Blurring a comment or folding a message: the page's element gets a class, a label with the
// reason and a "show anyway" button goes right before it. Only textContent and DOM APIs are used:
// neither page nor server text ever goes through innerHTML.

import { pageStrings, reasonText } from '../lib/strings.js';

const blurred = new Set(); // { textEl, label }
const byText = new WeakMap(); // textEl -> entry: one label per element, never two

// The page's stylesheet does not reach into shadow roots: a copy goes into each root we use.
const SHADOW_CSS = `.ks-blurred{filter:blur(6px)!important;user-select:none!important}
.ks-label{display:inline-flex!important;align-items:center;gap:6px;flex-wrap:wrap;margin:2px 0!important;padding:2px 8px!important;border-radius:10px;
font:12px/1.6 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif!important;background:#fff4e5!important;color:#5f370e!important;border:1px solid #f0c38a!important;position:relative}
.ks-label .ks-show{font:inherit!important;cursor:pointer;border:0!important;background:transparent!important;color:#0b57d0!important;text-decoration:underline;padding:0!important}
.ks-label .ks-words{display:none;position:absolute;left:0;top:100%;z-index:2147483000;margin-top:4px;padding:6px 8px;border-radius:6px;background:#202124;color:#fff;white-space:normal;max-width:320px}
.ks-label:hover .ks-words,.ks-label:focus-within .ks-words{display:block}
.ks-label.ks-revealed{background:#eef3fd!important;border-color:#c2d3f7!important;color:#1f3b73!important}`;

function styleShadowRoot(el) {
  const root = typeof el.getRootNode === 'function' ? el.getRootNode() : null;
  if (!root || !root.host || root.querySelector(':scope > style[data-ks-ui]')) return;
  const style = document.createElement('style');
  style.dataset.ksUi = 'style';
  style.textContent = SHADOW_CSS;
  root.appendChild(style);
}

/** Is this element blurred by us right now? */
export function blurEntry(textEl) {
  return byText.get(textEl) || null;
}

/** Undo one blur: the text changed (a reused node) or the decision no longer holds. */
export function unblur(textEl) {
  const entry = byText.get(textEl);
  if (!entry) return false;
  textEl.classList.remove('ks-blurred');
  textEl.style.removeProperty('filter');
  delete textEl.dataset.ksAction;
  entry.label.remove();
  blurred.delete(entry);
  byText.delete(textEl);
  return true;
}

export function blurItem(item, { reason, words = [], lang = 'en', kind = 'comment', onReveal } = {}) {
  const { textEl } = item;
  if (!textEl || !textEl.parentNode) return null;
  if (byText.has(textEl)) return byText.get(textEl); // never stack two labels
  styleShadowRoot(textEl);
  const s = pageStrings(lang);
  textEl.classList.add('ks-blurred');
  textEl.style.setProperty('filter', 'blur(6px)', 'important');

  const label = document.createElement('span');
  label.className = 'ks-label';
  label.dataset.ksUi = 'label';
  label.dataset.ksKind = kind;
  // the verdict (reason, score) stays in this script's memory (entry.reason), never in the page's
  // DOM: a site must not be able to read what Kindshield thinks of its comments
  label.setAttribute('role', 'note');

  const what = document.createElement('span');
  what.className = 'ks-what';
  what.textContent = `${kind === 'dm' ? s.hiddenMessage : s.hidden} · ${reasonText(lang, reason)}`;
  label.appendChild(what);

  const btn = document.createElement('button');
  btn.type = 'button';
  btn.className = 'ks-show';
  btn.dataset.ksUi = 'show';
  btn.textContent = s.showAnyway;
  label.appendChild(btn);

  if (words.length) {
    const tip = document.createElement('span');
    tip.className = 'ks-words';
    tip.dataset.ksUi = 'words';
    tip.textContent = `${s.wordsTitle} ${words.join(', ')}`;
    label.appendChild(tip);
    label.title = tip.textContent;
  }

  const entry = { textEl, label, reason, revealed: false };
  btn.addEventListener('click', (ev) => {
    ev.preventDefault();
    ev.stopPropagation();
    entry.revealed = !entry.revealed;
    if (entry.revealed) {
      textEl.classList.remove('ks-blurred');
      textEl.style.removeProperty('filter');
      label.classList.add('ks-revealed');
      btn.textContent = s.hideAgain;
      if (onReveal) onReveal();
    } else {
      textEl.classList.add('ks-blurred');
      textEl.style.setProperty('filter', 'blur(6px)', 'important');
      label.classList.remove('ks-revealed');
      btn.textContent = s.showAnyway;
    }
  });

  textEl.parentNode.insertBefore(label, textEl);
  blurred.add(entry);
  byText.set(textEl, entry);
  return entry;
}

/** Forget blurs whose element left the page (a virtual list dropped it). */
export function pruneDetached() {
  for (const entry of blurred) {
    if (!entry.textEl.isConnected) {
      entry.label.remove();
      blurred.delete(entry);
      byText.delete(entry.textEl);
    }
  }
}

/** Undo every blur (pause on this site, protection switched off). */
export function restoreAll() {
  for (const { textEl, label } of blurred) {
    textEl.classList.remove('ks-blurred');
    textEl.style.removeProperty('filter');
    label.remove();
    byText.delete(textEl);
  }
  blurred.clear();
}

export function blurredCount() { return blurred.size; }

/** A short toast at the bottom of the page (report filed, etc.). */
export function toast(text, { ms = 6000 } = {}) {
  const host = document.createElement('div');
  host.dataset.ksUi = 'toast';
  host.style.cssText = 'position:fixed;left:50%;bottom:24px;transform:translateX(-50%);z-index:2147483647;';
  const root = host.attachShadow({ mode: 'open' });
  const box = document.createElement('div');
  box.style.cssText = 'font:14px/1.4 system-ui,sans-serif;background:#202124;color:#fff;padding:10px 16px;border-radius:8px;box-shadow:0 2px 10px rgba(0,0,0,.3);max-width:480px;';
  box.textContent = text;
  root.appendChild(box);
  document.documentElement.appendChild(host);
  setTimeout(() => host.remove(), ms);
  return host;
}
