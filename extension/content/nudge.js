// "Are you sure you want to post this?" Before a comment or message leaves the page (Enter,
// Ctrl/Cmd+Enter, a post/send button, a form submit), its text is prechecked through the
// service worker. While the check runs and while the dialog is open the post is held; the
// person chooses "edit" or "post anyway", and the outcome is recorded on the server.
// When the server cannot answer, the post goes through untouched (fail open).

import { MSG } from '../lib/messages.js';
import { pageStrings, } from '../lib/strings.js';
import { cleanText, spansToWords, uiLangFromTag, guessLang } from '../lib/text.js';
import { hashText } from '../lib/cache.js';
import { isSubmitLabel, deepQueryAll } from '../lib/adapters/common.js';

const GENERIC_INPUT = 'textarea, [contenteditable="true"], [contenteditable=""], [contenteditable="plaintext-only"], [role="textbox"]';
const BUTTONISH = 'button, [role="button"], input[type="submit"]';
const CLEARED_MS = 3000;
const SEND_AGAIN_MS = 60_000;  // after "post anyway" on a composer that ignored our replay
const REPLAY_CHECK_MS = 700;   // how long a site gets to take the post after the replay

/** The element an event really started on, inside open shadow roots too. */
function realTarget(ev) {
  const path = typeof ev.composedPath === 'function' ? ev.composedPath() : [];
  const t = path.length ? path[0] : ev.target;
  if (t && t.nodeType === 3) return t.parentElement;
  return t && t.nodeType === 1 ? t : null;
}

/** parentElement, continuing from a shadow root to its host. */
function parentDeep(el) {
  if (el.parentElement) return el.parentElement;
  const root = typeof el.getRootNode === 'function' ? el.getRootNode() : null;
  return root && root.host ? root.host : null;
}

function closestIn(el, selector) {
  try { return el.closest(selector); } catch { return null; }
}

function safeMatches(el, selector) {
  if (!el || !selector || el.nodeType !== 1) return false;
  try { return el.matches(selector); } catch { return false; }
}

function textOf(el) {
  if (!el) return '';
  if ('value' in el && typeof el.value === 'string' && el.tagName !== 'BUTTON') return el.value;
  return el.innerText || el.textContent || '';
}

function isSearchy(el) {
  const t = (el.getAttribute('type') || '') + (el.getAttribute('role') || '') + (el.getAttribute('name') || '') + (el.getAttribute('aria-label') || '');
  return /search|搜索/i.test(t);
}

export class Nudger {
  constructor({ adapter, send, lang, isActive }) {
    this.adapter = adapter;
    this.send = send;            // (type, payload) -> Promise<data>
    this.lang = lang;            // () -> 'en' | 'zh' or null to follow the text
    this.isActive = isActive;    // () -> boolean
    this.cleared = new Map();    // hash(text) -> expiry: texts allowed through (after a check or a choice)
    this.busy = false;
    this.dialog = null;
    this.onKeyDown = this.onKeyDown.bind(this);
    this.onClick = this.onClick.bind(this);
    this.onSubmit = this.onSubmit.bind(this);
  }

  install() {
    window.addEventListener('keydown', this.onKeyDown, true);
    window.addEventListener('click', this.onClick, true);
    window.addEventListener('submit', this.onSubmit, true);
  }

  uninstall() {
    window.removeEventListener('keydown', this.onKeyDown, true);
    window.removeEventListener('click', this.onClick, true);
    window.removeEventListener('submit', this.onSubmit, true);
    this.closeDialog();
  }

  composerSelector() {
    const c = this.adapter.composer;
    return c && c.input ? `${c.input}, ${GENERIC_INPUT}` : GENERIC_INPUT;
  }

  /** The composer an event target belongs to (the editable element itself or one inside it). */
  composerFor(target) {
    if (!target || target.nodeType !== 1) return null;
    const sel = this.composerSelector();
    let el = null;
    try { el = target.closest(sel); } catch { el = null; }
    if (!el) return null;
    // the outermost contenteditable is the composer
    while (el.parentElement && el.parentElement.isContentEditable) el = el.parentElement;
    if (el.tagName === 'INPUT' || isSearchy(el)) return null;
    return el;
  }

  /** For a submit button: the composer with text nearest to it (same form, or up to 7
   * ancestors, crossing shadow roots: Bilibili's editor sits two shadow roots below its button). */
  composerNear(button) {
    const sel = this.composerSelector();
    const form = button.form || closestIn(button, 'form');
    const scopes = [];
    if (form) scopes.push(form);
    let p = parentDeep(button);
    for (let i = 0; p && i < 7; i++, p = parentDeep(p)) scopes.push(p);
    for (const scope of scopes) {
      const found = deepQueryAll(scope, sel);
      const withText = found.map((el) => this.composerFor(el) || el).find((el) => el.tagName !== 'INPUT' && cleanText(textOf(el)));
      if (withText) return withText;
    }
    return null;
  }

  /** The site's own send control for a composer (adapter selector, nearest first). */
  sendControlNear(composer) {
    const c = this.adapter.composer;
    if (!c || !c.submit) return null;
    let p = parentDeep(composer);
    for (let i = 0; p && i < 7; i++, p = parentDeep(p)) {
      const hit = deepQueryAll(p, c.submit).find((b) => !b.disabled);
      if (hit) return hit;
    }
    return null;
  }

  /** A clickable whose label reads "send"/"发送" though it is a plain div (Bilibili's messages). */
  labelledControl(target) {
    let el = target;
    for (let i = 0; el && i < 3; i++, el = el.parentElement) {
      if (el.matches && el.matches(GENERIC_INPUT)) return null;
      if (isSubmitLabel(el.textContent || '') && !el.querySelector(GENERIC_INPUT)) return el;
    }
    return null;
  }

  isSubmitButton(btn) {
    const c = this.adapter.composer;
    if (c && safeMatches(btn, c.submit)) return true;
    if ((btn.getAttribute('type') || '').toLowerCase() === 'submit' && (btn.form || btn.closest('form'))) return true;
    return isSubmitLabel(btn.getAttribute('aria-label') || btn.textContent || btn.value || '');
  }

  enterSends(composer, ev) {
    if (ev.ctrlKey || ev.metaKey) return true;
    if (ev.shiftKey || ev.altKey) return false;
    const c = this.adapter.composer;
    if (c && c.enterSends && safeMatches(composer, c.enterSends)) return true;
    return (composer.getAttribute('enterkeyhint') || '').toLowerCase() === 'send';
  }

  isCleared(text) {
    const key = hashText(text);
    const exp = this.cleared.get(key);
    if (exp && exp > Date.now()) return true;
    this.cleared.delete(key);
    return false;
  }

  clear(text) { this.cleared.set(hashText(text), Date.now() + CLEARED_MS); }

  /** Common gate: returns true when the event was held for a check. */
  gate(ev, composer, replay) {
    if (!this.isActive()) return false;
    if (this.busy || this.dialog) { // a check or a dialog is already in progress: hold this one too
      ev.preventDefault();
      ev.stopImmediatePropagation();
      return true;
    }
    const text = cleanText(textOf(composer));
    if (!text || this.isCleared(text)) return false;
    ev.preventDefault();
    ev.stopImmediatePropagation();
    this.check(text, composer, replay);
    return true;
  }

  onKeyDown(ev) {
    if (ev.key !== 'Enter' || ev.isComposing || ev.keyCode === 229 || !ev.isTrusted) return;
    const composer = this.composerFor(realTarget(ev));
    if (!composer || !this.enterSends(composer, ev)) return;
    const init = { key: 'Enter', code: 'Enter', keyCode: 13, which: 13, bubbles: true, cancelable: true, composed: true, ctrlKey: ev.ctrlKey, metaKey: ev.metaKey };
    this.gate(ev, composer, () => {
      // Draft.js, Lit and many chat editors ignore synthetic keys: use the site's own send
      // control when there is one; otherwise replay the keys and check that they were taken.
      const control = this.sendControlNear(composer);
      if (control) {
        control.click();
      } else {
        composer.dispatchEvent(new KeyboardEvent('keydown', init));
        composer.dispatchEvent(new KeyboardEvent('keypress', init));
        composer.dispatchEvent(new KeyboardEvent('keyup', init));
      }
      return 'enter';
    });
  }

  onClick(ev) {
    if (!ev.isTrusted || ev.button !== 0) return;
    const target = realTarget(ev);
    if (!target || (ev.target && ev.target.closest && ev.target.closest('[data-ks-ui]'))) return; // our own dialog and notes
    let btn = null;
    const c = this.adapter.composer;
    btn = (c && c.submit && closestIn(target, c.submit)) || closestIn(target, BUTTONISH);
    if (btn && (btn.disabled || !this.isSubmitButton(btn))) btn = null;
    if (!btn) btn = this.labelledControl(target);
    if (!btn) return;
    const composer = this.composerNear(btn);
    if (!composer) return;
    this.gate(ev, composer, () => { btn.click(); return 'click'; });
  }

  onSubmit(ev) {
    const form = ev.target;
    if (!form || form.tagName !== 'FORM') return;
    let composer = null;
    try { composer = Array.from(form.querySelectorAll(this.composerSelector())).find((el) => cleanText(textOf(el))); } catch { composer = null; }
    if (!composer) return;
    const submitter = ev.submitter || null;
    this.gate(ev, composer, () => { if (form.requestSubmit) form.requestSubmit(submitter); else form.submit(); return 'click'; });
  }

  async check(text, composer, replay) {
    this.busy = true;
    let res = null;
    try {
      res = await this.send(MSG.PRECHECK, { text, lang: 'auto' });
    } catch {
      res = null; // server down or refused: do not stand between the person and their post
    } finally {
      this.busy = false;
    }
    if (!res || !res.nudge) {
      this.clear(text);
      replay();
      return;
    }
    const lang = this.lang() || uiLangFromTag(document.documentElement.lang) || guessLang(text);
    const words = spansToWords(text, res.spans || []);
    const outcome = await this.showDialog({ message: res.message, words, lang });
    this.send(MSG.PRECHECK_OUTCOME, { nudge_id: res.nudge_id, outcome }).catch(() => {});
    if (outcome === 'posted_anyway') {
      this.clear(text);
      const how = replay();
      this.confirmSent(composer, text, how, lang);
    } else {
      try { composer.focus(); } catch { /* detached */ }
    }
  }

  /**
   * After "post anyway": if the draft is still in the composer a moment later, the site did not
   * take our replay (it ignores synthetic events). The draft is left exactly as it is, the next
   * real Enter or click goes straight through, and the person is told so. Never a lost draft.
   */
  confirmSent(composer, text, how, lang) {
    if (!how) return;
    setTimeout(() => {
      if (!composer.isConnected || cleanText(textOf(composer)) !== text) return; // it went out
      this.cleared.set(hashText(text), Date.now() + SEND_AGAIN_MS);
      const s = pageStrings(lang);
      this.showNote(how === 'enter' ? s.sendAgainEnter : s.sendAgainClick);
      try { composer.focus(); } catch { /* detached */ }
    }, REPLAY_CHECK_MS);
  }

  showNote(text) {
    const host = document.createElement('div');
    host.dataset.ksUi = 'nudge-note';
    host.setAttribute('role', 'status');
    host.style.cssText = 'position:fixed;left:50%;bottom:24px;transform:translateX(-50%);z-index:2147483647;';
    const root = host.attachShadow({ mode: 'closed' });
    const box = document.createElement('div');
    box.className = 'note';
    box.style.cssText = 'font:.875rem/1.4 system-ui,sans-serif;background:#202124;color:#fff;padding:10px 16px;border-radius:8px;max-width:480px;';
    box.textContent = text;
    root.appendChild(box);
    document.documentElement.appendChild(host);
    setTimeout(() => host.remove(), 8000);
    return host;
  }

  showDialog({ message, words, lang }) {
    const s = pageStrings(lang);
    return new Promise((resolve) => {
      const host = document.createElement('div');
      host.dataset.ksUi = 'nudge';
      host.style.cssText = 'position:fixed;inset:0;z-index:2147483647;';
      const root = host.attachShadow({ mode: 'closed' });
      const style = document.createElement('style');
      style.textContent = `
        .backdrop{position:fixed;inset:0;background:rgba(0,0,0,.35);display:flex;align-items:center;justify-content:center;}
        .box{font:.9375rem/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#fff;color:#202124;
             border-radius:12px;padding:20px 22px;max-width:420px;box-shadow:0 8px 30px rgba(0,0,0,.3);}
        h2{font-size:1.15em;margin:0 0 8px;} p{margin:0 0 10px;} .words{color:#8a3b00;font-size:.87em;}
        .row{display:flex;gap:10px;justify-content:flex-end;margin-top:14px;}
        button{font:inherit;border-radius:8px;padding:7px 14px;cursor:pointer;border:1px solid #c4c7c5;background:#fff;}
        button.primary{background:#0b57d0;border-color:#0b57d0;color:#fff;}`;
      const backdrop = document.createElement('div');
      backdrop.className = 'backdrop';
      const box = document.createElement('div');
      box.className = 'box';
      box.setAttribute('role', 'alertdialog');
      box.setAttribute('aria-modal', 'true');
      const h = document.createElement('h2');
      h.textContent = s.nudgeTitle;
      box.setAttribute('aria-label', s.nudgeTitle);
      const p = document.createElement('p');
      p.className = 'message';
      p.textContent = message || s.nudgeDefault;
      box.append(h, p);
      if (words.length) {
        const w = document.createElement('p');
        w.className = 'words';
        w.textContent = `${s.nudgeWords} ${words.join(', ')}`;
        box.appendChild(w);
      }
      const row = document.createElement('div');
      row.className = 'row';
      const anyway = document.createElement('button');
      anyway.type = 'button';
      anyway.className = 'anyway';
      anyway.textContent = s.postAnyway;
      const edit = document.createElement('button');
      edit.type = 'button';
      edit.className = 'edit primary';
      edit.textContent = s.edit;
      row.append(anyway, edit);
      box.appendChild(row);
      backdrop.appendChild(box);
      root.append(style, backdrop);

      const done = (outcome) => {
        this.closeDialog();
        resolve(outcome);
      };
      edit.addEventListener('click', (e) => { e.stopPropagation(); done('edited'); });
      anyway.addEventListener('click', (e) => { e.stopPropagation(); done('posted_anyway'); });
      host.addEventListener('keydown', (e) => {
        e.stopPropagation();
        if (e.key === 'Escape') done('edited');
      }, true);
      document.documentElement.appendChild(host);
      this.dialog = { host };
      edit.focus();
    });
  }

  closeDialog() {
    if (this.dialog) {
      this.dialog.host.remove();
      this.dialog = null;
    }
  }
}
