// Hiding a comment or folding a message. The page's text element is taken out of view AND out
// of the accessibility tree (display:none + aria-hidden); a placeholder label goes right before
// it ("Hidden for you", announced instead) with Show, Why?, Report and Mute. No word of the
// comment, no score and no reason is put in any attribute or tooltip: the reason and the words
// exist only in this module's memory until the person clicks "Why?", and are then shown inside
// a closed shadow root, which the page cannot read.
// Only textContent and DOM APIs are used: neither page nor server text goes through innerHTML.

import { pageStrings, reasonText, fill } from '../lib/strings.js';

const blurred = new Set(); // entries
const byText = new WeakMap(); // textEl -> entry: one label per element, never two
let counter = 0; // numbers the hidden comments when no author is known ("hidden comment 3")

// The page's stylesheet does not reach into shadow roots: a copy goes into each root we use.
const SHADOW_CSS = `.ks-blurred{display:none!important}
.ks-label{display:inline-flex!important;align-items:center;gap:.4em;flex-wrap:wrap;margin:.15em 0!important;padding:.15em .6em!important;border-radius:.7em;
font:400 .8125rem/1.6 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif!important;background:#fff4e5!important;color:#5f370e!important;border:1px solid #c98a3c!important}
.ks-label button{font:inherit!important;cursor:pointer;border:0!important;background:transparent!important;color:#0b57d0!important;text-decoration:underline;padding:0 .1em!important;margin:0!important}
.ks-label .ks-why-text{flex-basis:100%}
.ks-label.ks-revealed{background:#eef3fd!important;border-color:#7b9be0!important;color:#1f3b73!important}
html.ks-capturing [data-ks-ui]{visibility:hidden!important}
.ks-evidence{outline:3px solid #b3261e!important;outline-offset:2px!important}`;

function styleShadowRoot(el) {
  const root = typeof el.getRootNode === 'function' ? el.getRootNode() : null;
  if (!root || !root.host || root.querySelector(':scope > style[data-ks-ui]')) return;
  const style = document.createElement('style');
  style.dataset.ksUi = 'style';
  style.textContent = SHADOW_CSS;
  root.appendChild(style);
}

function conceal(entry) {
  const { textEl } = entry;
  textEl.classList.add('ks-blurred');
  textEl.setAttribute('aria-hidden', 'true');
}

function uncover(entry) {
  const { textEl } = entry;
  textEl.classList.remove('ks-blurred');
  if (entry.ariaHidden === null) textEl.removeAttribute('aria-hidden');
  else textEl.setAttribute('aria-hidden', entry.ariaHidden);
}

/** Is this element hidden by us right now? */
export function blurEntry(textEl) {
  return byText.get(textEl) || null;
}

/** Every live entry (folding, counts, offline hiding). */
export function entries() {
  return Array.from(blurred);
}

/** Undo one hiding: the text changed (a reused node) or the decision no longer holds. */
export function unblur(textEl) {
  const entry = byText.get(textEl);
  if (!entry) return false;
  uncover(entry);
  entry.label.remove();
  blurred.delete(entry);
  byText.delete(textEl);
  return true;
}

function button(text, ui, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.dataset.ksUi = ui;
  b.textContent = text;
  b.addEventListener('click', (ev) => {
    ev.preventDefault();
    ev.stopPropagation();
    onClick(ev);
  });
  return b;
}

/**
 * Hide `item` ({ el, textEl, author }) behind a placeholder label. `reason` and `words` stay in
 * memory; `onReport(entry)` and `onMute(entry)` add the Report / Mute buttons.
 */
export function blurItem(item, { reason, words = [], lang = 'en', kind = 'comment', onReveal, onReport, onMute } = {}) {
  const { textEl } = item;
  if (!textEl || !textEl.parentNode) return null;
  if (byText.has(textEl)) return byText.get(textEl); // never stack two labels
  styleShadowRoot(textEl);
  const s = pageStrings(lang);
  const author = String(item.author || '').trim();
  const who = author ? fill(s.commentFrom, { who: author }) : fill(s.commentNumber, { n: ++counter });

  const label = document.createElement('span');
  label.className = 'ks-label';
  label.dataset.ksUi = 'label';
  label.dataset.ksKind = kind;
  label.setAttribute('role', 'group');
  label.setAttribute('aria-label', who);

  const placeholder = reason === 'offline' ? s.hiddenOffline : reason === 'muted' ? s.hiddenMuted : (kind === 'dm' ? s.hiddenMessage : s.hidden);
  const what = document.createElement('span');
  what.className = 'ks-what';
  what.textContent = placeholder;
  label.appendChild(what);

  const entry = { textEl, itemEl: item.el || textEl, label, revealed: false, reason, words: words.slice(), lang, kind, author, ariaHidden: textEl.getAttribute('aria-hidden') };

  const show = button(s.show, 'show', () => setRevealed(entry, !entry.revealed));
  show.className = 'ks-show';
  show.setAttribute('aria-expanded', 'false');
  show.setAttribute('aria-label', `${s.show}: ${who}`);
  entry.showButton = show;
  label.appendChild(show);

  if (reason !== 'offline') {
    const why = button(s.why, 'why', () => toggleWhy(entry, why));
    why.setAttribute('aria-expanded', 'false');
    why.setAttribute('aria-label', `${s.why} ${who}`);
    label.appendChild(why);
  }
  if (onReport && reason !== 'offline') {
    const rep = button(s.report, 'report', () => onReport(entry));
    rep.setAttribute('aria-label', `${s.report}: ${who}`);
    label.appendChild(rep);
  }
  if (onMute && author && kind === 'comment' && reason !== 'offline') {
    const mute = button(reason === 'muted' ? s.unmute : s.mute, 'mute', () => onMute(entry, reason !== 'muted'));
    mute.setAttribute('aria-label', `${reason === 'muted' ? s.unmute : s.mute}: ${author}`);
    label.appendChild(mute);
  }
  entry.onReveal = onReveal;

  conceal(entry);
  textEl.parentNode.insertBefore(label, textEl);
  blurred.add(entry);
  byText.set(textEl, entry);
  return entry;
}

/** Show or hide again (the "Show" button, and the evidence capture). */
export function setRevealed(entry, revealed) {
  const s = pageStrings(entry.lang);
  entry.revealed = revealed;
  if (revealed) uncover(entry); else conceal(entry);
  entry.label.classList.toggle('ks-revealed', revealed);
  entry.showButton.textContent = revealed ? s.hideAgain : s.show;
  entry.showButton.setAttribute('aria-expanded', String(revealed));
  if (revealed && entry.onReveal) entry.onReveal(entry);
}

/** The reason and the words, only after an explicit click; a second click removes them. */
function toggleWhy(entry, why) {
  const open = entry.label.querySelector(':scope > [data-ks-ui=why-text]');
  if (open) {
    open.remove();
    why.setAttribute('aria-expanded', 'false');
    return;
  }
  const s = pageStrings(entry.lang);
  const box = document.createElement('span');
  box.className = 'ks-why-text';
  box.dataset.ksUi = 'why-text';
  box.setAttribute('role', 'status');
  let text = `${s.whyReason} ${reasonText(entry.lang, entry.reason)}.`;
  if (entry.words.length) text += ` ${s.wordsTitle} ${entry.words.join(', ')}`;
  // the reason and the words are the verdict: shown to the person, kept out of the page's DOM
  // (a closed shadow root made in this script's world: no page script can open it)
  const words = document.createElement('span');
  words.textContent = text;
  box.attachShadow({ mode: 'closed' }).appendChild(words);
  entry.label.appendChild(box);
  why.setAttribute('aria-expanded', 'true');
}

/** Forget hidings whose element left the page (a virtual list dropped it). */
export function pruneDetached() {
  for (const entry of blurred) {
    if (!entry.textEl.isConnected) {
      entry.label.remove();
      blurred.delete(entry);
      byText.delete(entry.textEl);
    }
  }
}

/** Undo every hiding (pause on this site, protection switched off), or those `which` selects. */
export function restoreAll(which = () => true) {
  for (const entry of Array.from(blurred)) {
    if (!which(entry)) continue;
    uncover(entry);
    entry.label.remove();
    byText.delete(entry.textEl);
    blurred.delete(entry);
  }
}

/** Hidden right now (not revealed by the person). */
export function blurredCount() {
  let n = 0;
  for (const e of blurred) if (!e.revealed && e.textEl.isConnected) n++;
  return n;
}

/** A message at the bottom of the page, announced to screen readers; `action` adds one button. */
export function toast(text, { ms = 12000, lang = 'en', action = null } = {}) {
  const host = document.createElement('div');
  host.dataset.ksUi = 'toast';
  host.style.cssText = 'position:fixed;left:50%;bottom:1.5rem;transform:translateX(-50%);z-index:2147483647;';
  const root = host.attachShadow({ mode: 'closed' });
  const box = document.createElement('div');
  box.setAttribute('role', 'status');
  box.setAttribute('aria-live', 'polite');
  box.style.cssText = 'font:1rem/1.4 system-ui,sans-serif;background:#202124;color:#fff;padding:.6rem 1rem;border-radius:.5rem;box-shadow:0 2px 10px rgba(0,0,0,.3);max-width:30rem;display:flex;gap:.8rem;align-items:center;';
  const words = document.createElement('span');
  words.textContent = text;
  box.appendChild(words);
  const btnCss = 'font:inherit;color:#a8c7fa;background:transparent;border:0;text-decoration:underline;cursor:pointer;padding:0;';
  if (action) {
    const a = document.createElement('button');
    a.type = 'button';
    a.textContent = action.text;
    a.dataset.ksUi = 'toast-action';
    a.style.cssText = btnCss;
    a.addEventListener('click', () => action.onClick());
    box.appendChild(a);
  }
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = pageStrings(lang).close;
  close.style.cssText = btnCss;
  close.addEventListener('click', () => host.remove());
  box.appendChild(close);
  root.appendChild(box);
  document.documentElement.appendChild(host);
  setTimeout(() => host.remove(), ms);
  return host;
}
