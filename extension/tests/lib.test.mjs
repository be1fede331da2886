// Pure modules: backoff, cache, batching, text, decisions, settings, statistics.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { backoffDelay, recordFailure, recordSuccess, canAttempt, isDown, parseRetryAfter, initialBackoff, retrying } from '../lib/backoff.js';
import { LruCache, hashText, sha256Hex } from '../lib/cache.js';
import { Batcher, chunk } from '../lib/batch.js';
import { cleanText, isWorthChecking, spansToWords, uiLangFromTag, guessLang, hostMatches, siteKey, excerpt } from '../lib/text.js';
import { shouldBlur, mainReason, shieldAction, dmReason } from '../lib/decide.js';
import { MSG, CONTENT_MESSAGES, DEFAULT_SETTINGS, normalizeSettings, storedSettings, normalizeServerUrl, originPattern } from '../lib/messages.js';
import { dailySeries, lastDays } from '../lib/stats.js';
import { formatMessage } from '../lib/i18n.js';
import { pageStrings, reasonText, PAGE_STRINGS } from '../lib/strings.js';

test('retrying: retries only what may pass, waits backoff or Retry-After, gives up after its tries', async () => {
  const down = Object.assign(new Error('down'), { unavailable: true, retryAfterMs: 0 });
  const slow = Object.assign(new Error('busy'), { unavailable: true, retryAfterMs: 4000 });
  const refused = Object.assign(new Error('bad request'), { unavailable: false });
  const isRetryable = (e) => e.unavailable;
  const waits = [];
  const sleep = async (ms) => { waits.push(ms); };

  const answers = [down, slow, 'filed'];
  const seen = [];
  const got = await retrying(async (i) => { seen.push(i); const a = answers.shift(); if (a instanceof Error) throw a; return a; },
    { tries: 3, isRetryable, sleep });
  assert.equal(got, 'filed');
  assert.deepEqual(seen, [1, 2, 3]);
  assert.deepEqual(waits, [1000, 4000]);          // backoff after the first, Retry-After (longer) after the second

  waits.length = 0;
  let calls = 0;
  await assert.rejects(retrying(async () => { calls += 1; throw refused; }, { tries: 3, isRetryable, sleep }), /bad request/);
  assert.equal(calls, 1);                          // a refusal is final
  assert.deepEqual(waits, []);

  calls = 0;
  await assert.rejects(retrying(async () => { calls += 1; throw Object.assign(new Error('x'), { unavailable: true, retryAfterMs: 60000 }); },
    { tries: 2, isRetryable, sleep, maxWaitMs: 10000 }), /x/);
  assert.equal(calls, 2);                          // the last error after the last try
  assert.deepEqual(waits, [10000]);                // a long Retry-After is capped
});

test('backoff grows exponentially, is capped, and honours Retry-After', () => {
  assert.equal(backoffDelay(0), 0);
  assert.equal(backoffDelay(1), 1000);
  assert.equal(backoffDelay(2), 2000);
  assert.equal(backoffDelay(5), 16000);
  assert.equal(backoffDelay(50), 300000);
  let s = initialBackoff();
  assert.ok(canAttempt(s, 0));
  s = recordFailure(s, 1000, { random: () => 1 });
  assert.equal(s.failures, 1);
  assert.equal(s.nextAttemptAt, 2000);
  assert.equal(s.downSince, 1000);
  assert.ok(!canAttempt(s, 1500));
  assert.ok(canAttempt(s, 2000));
  assert.ok(isDown(s));
  s = recordFailure(s, 3000, { random: () => 0 });
  assert.equal(s.failures, 2);
  assert.equal(s.nextAttemptAt, 3000 + 1000, 'jitter keeps at least half the delay');
  assert.equal(s.downSince, 1000, 'down since the first failure');
  s = recordFailure(s, 5000, { random: () => 0, retryAfterMs: 60000 });
  assert.equal(s.nextAttemptAt, 65000, 'Retry-After wins when longer');
  assert.deepEqual(recordSuccess(), initialBackoff());
  assert.ok(!isDown(recordSuccess()));
  // serialisable (kept in chrome.storage.session)
  assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
});

test('Retry-After parses seconds and HTTP dates', () => {
  assert.equal(parseRetryAfter('3'), 3000);
  assert.equal(parseRetryAfter(null), 0);
  assert.equal(parseRetryAfter('garbage'), 0);
  const now = Date.parse('2025-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now), 10000);
});

test('LRU cache: recency, capacity, TTL and JSON round trip', () => {
  let clock = 0;
  const c = new LruCache({ maxEntries: 2, ttlMs: 100, now: () => clock });
  c.set('a', 1).set('b', 2);
  assert.equal(c.get('a'), 1); // a is now most recent
  c.set('c', 3);
  assert.equal(c.get('b'), undefined, 'least recently used entry evicted');
  assert.equal(c.get('a'), 1);
  clock = 150;
  assert.equal(c.get('a'), undefined, 'expired');
  clock = 0;
  const d = new LruCache({ maxEntries: 3, ttlMs: 100, now: () => clock });
  d.set('x', { toxic: true }).set('y', { toxic: false });
  const copy = LruCache.fromJSON(JSON.parse(JSON.stringify(d.toJSON())), { maxEntries: 3, ttlMs: 100, now: () => clock });
  assert.deepEqual(copy.get('x'), { toxic: true });
  assert.equal(copy.size, 2);
  clock = 500;
  assert.equal(LruCache.fromJSON(d.toJSON(), { ttlMs: 100, now: () => clock }).size, 0, 'stale entries dropped on load');
  assert.equal(LruCache.fromJSON('nonsense').size, 0);
});

test('hashText is stable, 16 hex digits, and distinguishes texts', () => {
  assert.match(hashText('hello'), /^[0-9a-f]{16}$/);
  assert.equal(hashText('hello'), hashText('hello'));
  assert.notEqual(hashText('hello'), hashText('hello!'));
  assert.notEqual(hashText('你好'), hashText('你们'));
  assert.equal(hashText(''), 'cbf29ce484222325');
});

function manualTimers() {
  const timers = [];
  return {
    timers,
    setTimer: (fn) => { timers.push(fn); return timers.length; },
    clearTimer: () => { timers.length = 0; },
    fire: () => { const t = timers.splice(0); t.forEach((f) => f()); },
  };
}

test('batcher sends each distinct text once and resolves every waiter in order', async () => {
  const calls = [];
  const t = manualTimers();
  const b = new Batcher(async (texts) => { calls.push(texts); return texts.map((x) => x.toUpperCase()); }, { maxBatch: 10, ...t });
  const p = [b.add('a'), b.add('b'), b.add('a'), b.add('c')];
  assert.equal(b.size, 3);
  assert.equal(calls.length, 0, 'nothing sent before the delay');
  t.fire();
  assert.deepEqual(await Promise.all(p), ['A', 'B', 'A', 'C']);
  assert.deepEqual(calls, [['a', 'b', 'c']]);
});

test('batcher flushes at maxBatch and splits big flushes', async () => {
  const calls = [];
  const t = manualTimers();
  const b = new Batcher(async (texts) => { calls.push(texts.length); return texts; }, { maxBatch: 3, ...t });
  const ps = ['1', '2', '3', '4'].map((x) => b.add(x));
  assert.equal(calls.length, 1, 'a full batch goes at once');
  t.fire();
  assert.deepEqual(await Promise.all(ps), ['1', '2', '3', '4']);
  assert.deepEqual(calls, [3, 1]);
  assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
});

test('batcher rejects every waiter when the request fails or answers the wrong count', async () => {
  const t = manualTimers();
  const b = new Batcher(async () => { throw new Error('down'); }, t);
  const p = [b.add('a'), b.add('a')];
  t.fire();
  for (const x of p) await assert.rejects(x, /down/);
  const b2 = new Batcher(async () => ['only one'], t);
  const q = [b2.add('a'), b2.add('b')];
  t.fire();
  for (const x of q) await assert.rejects(x, /count/);
});

test('cleanText, isWorthChecking and excerpt', () => {
  assert.equal(cleanText('  a\n\t b\u200b c  '), 'a b c');
  assert.equal(cleanText(null), '');
  assert.equal(cleanText('x'.repeat(30), 10).length, 10);
  const emoji = 'ab😀';
  assert.equal(cleanText(emoji, 3), 'ab', 'never cuts a surrogate pair');
  assert.ok(isWorthChecking('hi'));
  assert.ok(isWorthChecking('你好'));
  assert.ok(!isWorthChecking('12345 !!!'));
  assert.ok(!isWorthChecking('a'));
  assert.equal(excerpt('x'.repeat(200), 10).length, 10);
});

test('spansToWords uses code points like the server, best score first, no duplicates', () => {
  const text = '😀 you idiot, idiot';
  // code points: 😀=0, ' '=1, 'you'=2..4, ' '=5, 'idiot'=6..10
  assert.deepEqual(spansToWords(text, [{ start: 6, end: 11, score: 0.9 }, { start: 2, end: 5, score: 0.2 }, { start: 13, end: 18, score: 0.8 }]), ['idiot', 'you']);
  assert.deepEqual(spansToWords('你就是个废物', [{ start: 4, end: 6, score: 0.9 }]), ['废物']);
  assert.deepEqual(spansToWords('abc', [{ start: 2, end: 1 }, { start: 'x', end: 2 }, null]), []);
  assert.deepEqual(spansToWords('abc', null), []);
});

test('language helpers', () => {
  assert.equal(uiLangFromTag('zh-CN'), 'zh');
  assert.equal(uiLangFromTag('zh'), 'zh');
  assert.equal(uiLangFromTag('en-US'), 'en');
  assert.equal(uiLangFromTag(''), 'en');
  assert.equal(guessLang('你就是个废物'), 'zh');
  assert.equal(guessLang('you are great'), 'en');
  assert.equal(siteKey('WWW.Weibo.com'), 'weibo.com');
  assert.ok(hostMatches('m.weibo.cn', ['weibo.cn']));
  assert.ok(hostMatches('www.reddit.com', ['reddit.com']));
  assert.ok(!hostMatches('notreddit.com', ['reddit.com']));
  assert.ok(!hostMatches('x.com.evil.org', ['x.com']));
});

test('blur decisions follow the sensitivity', () => {
  const mild = { toxic: true, score: 0.6, severity: 'low', labels: { toxic: 0.6 } };
  const severe = { toxic: true, score: 0.97, severity: 'high', labels: { toxic: 0.97, threat: 0.9, insult: 0.8 } };
  const borderline = { toxic: false, score: 0.4, severity: 'none', labels: {} };
  const clean = { toxic: false, score: 0.02, severity: 'none', labels: {} };
  assert.ok(shouldBlur(severe, 'relaxed') && shouldBlur(severe, 'standard') && shouldBlur(severe, 'strict'));
  assert.ok(!shouldBlur(mild, 'relaxed') && shouldBlur(mild, 'standard'));
  assert.ok(!shouldBlur(borderline, 'standard') && shouldBlur(borderline, 'strict'));
  assert.ok(!shouldBlur(clean, 'strict'));
  assert.ok(!shouldBlur(null));
  // swearing at no one: a sub-label alone never blurs, unless the person opted in
  const swearing = { toxic: false, swearing: true, score: 0.01, severity: 'none', labels: { toxic: 0.01, obscene: 1 } };
  assert.ok(!shouldBlur(swearing, 'standard') && !shouldBlur(swearing, 'strict'));
  assert.ok(shouldBlur(swearing, 'standard', { hideSwearing: true }) && shouldBlur(swearing, 'strict', { hideSwearing: true }));
  assert.ok(!shouldBlur(swearing, 'relaxed', { hideSwearing: true }), 'relaxed ignores bare profanity, as on the server');
  assert.ok(!shouldBlur({ ...clean, swearing: false }, 'standard', { hideSwearing: true }));
  assert.equal(mainReason(severe), 'threat');
  assert.equal(mainReason(mild), 'toxic');
  assert.equal(mainReason({ labels: { toxic: 0.9, insult: 0.8 } }), 'insult', 'a strong specific label beats the generic one');
  assert.equal(shieldAction({ action: 'fold' }), 'fold');
  assert.equal(shieldAction({ action: 'block' }), 'block');
  assert.equal(shieldAction({ action: 'weird' }), 'deliver');
  assert.equal(shieldAction(undefined), 'deliver');
  assert.equal(dmReason([{ rule: 'hostile_block', labels: ['insult'], action: 'block' }]), 'insult');
  assert.equal(dmReason([{ rule: 'lockdown_stranger', labels: [], action: 'block' }]), 'stranger');
  assert.equal(dmReason([{ rule: 'default', labels: ['insult'], action: 'deliver' }]), 'toxic');
});

test('settings are normalised; server URLs validated', () => {
  assert.deepEqual(normalizeSettings(undefined), { ...DEFAULT_SETTINGS });
  const s = normalizeSettings({ sensitivity: 'paranoid', language: 'fr', pausedSites: ['a.com', 3, ''], apiKey: 7, bogus: 1, serverUrl: 'https://h:1/' });
  assert.equal(s.sensitivity, 'standard');
  assert.equal(s.language, 'auto');
  assert.deepEqual(s.pausedSites, ['a.com']);
  assert.equal(s.apiKey, '');
  assert.equal(s.serverUrl, 'https://h:1');
  assert.equal(normalizeSettings({ serverUrl: 'http://h:1/' }).serverUrl, DEFAULT_SETTINGS.serverUrl);
  assert.ok(!('bogus' in s));
  assert.equal(normalizeServerUrl('https://ks.example.org/base/'), 'https://ks.example.org/base');
  assert.equal(normalizeServerUrl('ftp://x'), null);
  assert.equal(normalizeServerUrl('javascript:alert(1)'), null);
  assert.equal(normalizeServerUrl('http://user:pw@h/'), null);
  assert.equal(normalizeServerUrl('not a url'), null);
  // the key is never sent in clear text over the network: http only to this machine
  assert.equal(normalizeServerUrl('http://ks.example.org'), null);
  assert.equal(normalizeServerUrl('http://192.168.1.5:8731'), null);
  assert.equal(normalizeServerUrl('http://localhost:8731/'), 'http://localhost:8731');
  assert.equal(normalizeServerUrl('http://[::1]:8731'), 'http://[::1]:8731');
  assert.equal(originPattern('http://127.0.0.1:8731/x'), 'http://127.0.0.1:8731/*');
});

test('content scripts may only send page-level messages', () => {
  for (const m of [MSG.ANALYZE, MSG.PRECHECK, MSG.PRECHECK_OUTCOME, MSG.SHIELD, MSG.PAGE_STATE]) assert.ok(CONTENT_MESSAGES.has(m));
  for (const m of [MSG.REPORTS_EXPORT, MSG.REPORTS_LIST, MSG.CHECK_SERVER, MSG.ONE_CLICK_OFF, MSG.PROTECTION_PUT, MSG.STATUS]) assert.ok(!CONTENT_MESSAGES.has(m));
  const values = Object.values(MSG);
  assert.equal(new Set(values).size, values.length, 'message names are unique');
});

test('stats become 30 zero-filled daily series', () => {
  const today = new Date('2025-03-31T12:00:00Z');
  assert.deepEqual(lastDays(3, today), ['2025-03-29', '2025-03-30', '2025-03-31']);
  const { days, series, totals } = dailySeries({ days: [{ date: '2025-03-30', folded: 2, blocked: 1 }, { date: '2025-03-31', folded: 1 }], totals: { folded: 3, blocked: 1 } }, 30, today);
  assert.equal(days.length, 30);
  const folded = series.find((s) => s.key === 'folded');
  assert.deepEqual(folded.values.slice(-2), [2, 1]);
  assert.equal(folded.values.slice(0, 28).reduce((a, b) => a + b, 0), 0);
  assert.equal(totals.folded, 3);
  assert.equal(dailySeries(null, 7, today).days.length, 7);
});

test('i18n placeholders and page strings', () => {
  assert.equal(formatMessage({ message: 'On until $WHEN$', placeholders: { when: { content: '$1' } } }, ['18:00']), 'On until 18:00');
  assert.equal(formatMessage(undefined), '');
  assert.deepEqual(Object.keys(PAGE_STRINGS.en).sort(), Object.keys(PAGE_STRINGS.zh).sort());
  assert.equal(pageStrings('zh').showAnyway, '仍然显示');
  assert.equal(pageStrings('fr').showAnyway, 'Show anyway');
  assert.equal(reasonText('en', 'nonsense'), 'likely abusive');
});

test('a per-item error from /v1/analyze stays an error: never blurred, never cached, the rest unchanged', async () => {
  const { readAnalysis, slimResult, shouldBlur: blur } = await import('../lib/decide.js');
  const body = { results: [
    { toxic: true, score: 0.97, severity: 'high', labels: { insult: 0.95 }, spans: [{ start: 0, end: 3, score: 0.9 }] },
    { error: { code: 'inference_failed', message: 'this text could not be scored' } },
    { toxic: false, score: 0.02, severity: 'none', labels: {} },
  ] };
  const got = readAnalysis(['bad words', 'odd text', 'kind words'], body);
  assert.deepEqual(got.map((g) => g.cacheable), [true, false, true]);
  assert.deepEqual(got[1].result, { error: { code: 'inference_failed', message: 'this text could not be scored' } });
  assert.equal(blur(got[1].result, 'strict'), false, 'the comment stays visible');
  assert.equal(blur(got[0].result), true, 'the other items are decided as usual');
  assert.equal(blur(got[2].result, 'strict'), false);
  assert.equal(got[0].result.spans.length, 1);
  // a short answer: the missing items are errors too, not "benign"
  const short = readAnalysis(['a text', 'b text'], { results: [{ toxic: false, score: 0.1 }] });
  assert.equal(short[1].result.error.code, 'missing');
  assert.equal(short[1].cacheable, false);
  assert.equal(slimResult({ error: 'not an object' }).toxic, false, 'only an error object counts as an error');
});

test('verdict cache keys are SHA-256 of the text', async () => {
  assert.equal(await sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(await sha256Hex('你好'), '670d9743542cae3ea7ebe36af56bd53648b0a1126162e78d81a32934a711302e');
  assert.notEqual(await sha256Hex('hello'), await sha256Hex('hello!'));
});

test('storedSettings: what goes to chrome.storage.local never carries the API key', () => {
  const out = storedSettings({ ...DEFAULT_SETTINGS, apiKey: 'ks_secret_value', sensitivity: 'strict' });
  assert.ok(!('apiKey' in out));
  assert.ok(!JSON.stringify(out).includes('ks_secret_value'));
  assert.equal(out.sensitivity, 'strict');
  assert.deepEqual(Object.keys(out).sort(), Object.keys(DEFAULT_SETTINGS).filter((k) => k !== 'apiKey').sort());
});
