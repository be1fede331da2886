// Blurring a comment or folding a message: the page's element gets a class, a label with the
// reason and a "show anyway" button goes right before it. Only textContent and DOM APIs are used:
// neither page nor server text ever goes through innerHTML.

import { pageStrings, reasonText } from '../lib/strings.js';

const blurred = new Set(); // { textEl, label }

export function blurItem(item, { reason, words = [], lang = 'en', kind = 'comment', onReveal } = {}) {
  const { textEl } = item;
  if (!textEl || !textEl.parentNode) return null;
  const s = pageStrings(lang);
  textEl.classList.add('ks-blurred');
  textEl.style.setProperty('filter', 'blur(6px)', 'important');

  const label = document.createElement('span');
  label.className = 'ks-label';
  label.dataset.ksUi = 'label';
  label.dataset.ksKind = kind;
  label.dataset.ksReason = reason;
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

  const entry = { textEl, label, revealed: false };
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
  return entry;
}

/** Undo every blur (pause on this site, protection switched off). */
export function restoreAll() {
  for (const { textEl, label } of blurred) {
    textEl.classList.remove('ks-blurred');
    textEl.style.removeProperty('filter');
    label.remove();
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
