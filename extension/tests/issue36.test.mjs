// Pure logic behind "never silent", folding, muting, pairing and the cache digests.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { HEALTH, healthOfError, healthView, healthOfStatus } from '../lib/health.js';
import { hiddenRuns, FOLD_MIN_RUN } from '../lib/fold.js';
import { authorKey, mutedOn, isMuted, setMuted } from '../lib/mute.js';
import { candidateServers, normalizeCode } from '../lib/pairing.js';
import { sha256Hex } from '../lib/digest.js';
import { pageStrings, fill, PAGE_STRINGS } from '../lib/strings.js';
import { DEFAULT_SETTINGS, normalizeSettings, CONTENT_MESSAGES, MSG } from '../lib/messages.js';

test('errors map to what the person is told: offline, key refused, not paired', () => {
  assert.equal(healthOfError({ status: 0, code: 'unreachable' }), HEALTH.OFFLINE);
  assert.equal(healthOfError({ status: 0, code: 'backoff' }), HEALTH.OFFLINE);
  assert.equal(healthOfError({ status: 503, code: 'service_unavailable' }), HEALTH.OFFLINE);
  assert.equal(healthOfError({ status: 401, code: 'unauthorized' }), HEALTH.BAD_KEY);
  assert.equal(healthOfError({ status: 401, code: 'no_api_key' }), HEALTH.NO_KEY);
  assert.equal(healthOfError({ status: 400, code: 'invalid_request' }), null);
  assert.equal(healthOfError(null), null);
  for (const h of Object.values(HEALTH)) {
    const v = healthView(h);
    assert.ok(v.key.startsWith('status'));
    assert.equal(v.fix, h !== HEALTH.OK, 'every state but OK offers Fix');
    assert.equal(v.tone, h === HEALTH.OK ? 'ok' : 'bad', 'a wrong key is never green');
  }
  assert.equal(healthOfStatus({ hasKey: true, serverDown: false, error: { status: 401, code: 'unauthorized' } }), HEALTH.BAD_KEY);
  assert.equal(healthOfStatus({ hasKey: true, serverDown: true, error: null }), HEALTH.OFFLINE);
  assert.equal(healthOfStatus({ hasKey: false }), HEALTH.NO_KEY);
  assert.equal(healthOfStatus({ hasKey: true, serverDown: false, error: null }), HEALTH.OK);
});

test('runs of three or more hidden items fold; ours are skipped, others break a run', () => {
  const row = (h, ours = false) => ({ h, ours });
  const kids = [row(1), row(1), row(0), row(1), row(1, false), row(0, true), row(1), row(1), row(0)];
  const runs = hiddenRuns(kids, (k) => k.h === 1 && !k.ours, { skip: (k) => k.ours });
  assert.equal(FOLD_MIN_RUN, 3);
  assert.equal(runs.length, 1);
  assert.equal(runs[0].length, 4);
  assert.deepEqual(hiddenRuns([row(1), row(1)], (k) => k.h === 1), []);
  assert.equal(hiddenRuns(Array.from({ length: 18 }, () => row(1)), (k) => k.h === 1)[0].length, 18);
});

test('muted accounts: per site, case and @ insensitive, unmute drops empty sites', () => {
  assert.equal(authorKey('@Bob_77 '), 'bob_77');
  let m = setMuted({}, 'x.com', '@bob_77', true);
  assert.deepEqual(mutedOn(m, 'x.com'), ['bob_77']);
  assert.ok(isMuted(mutedOn(m, 'x.com'), 'BOB_77'));
  assert.ok(!isMuted(mutedOn(m, 'reddit.com'), 'bob_77'));
  m = setMuted(m, 'x.com', 'bob_77', true);
  assert.equal(mutedOn(m, 'x.com').length, 1, 'no duplicates');
  m = setMuted(m, 'x.com', 'BOB_77', false);
  assert.deepEqual(m, {});
  assert.deepEqual(setMuted({}, '', 'a', true), {});
});

test('pairing: candidate addresses and codes typed loosely', () => {
  assert.deepEqual(candidateServers('', ''), [DEFAULT_SETTINGS.serverUrl, 'http://localhost:8731']);
  assert.deepEqual(candidateServers('https://kindshield.example.org/', 'http://127.0.0.1:8731'), ['https://kindshield.example.org', 'http://127.0.0.1:8731', 'http://localhost:8731']);
  // plain http to another computer would carry the key in the clear: never a candidate (issue 34)
  assert.deepEqual(candidateServers('http://10.0.0.2:8731/', ''), [DEFAULT_SETTINGS.serverUrl, 'http://localhost:8731']);
  assert.equal(normalizeCode('abcd efgh'), 'ABCD-EFGH');
  assert.equal(normalizeCode(' ABCD-EFGH '), 'ABCD-EFGH');
  assert.equal(normalizeCode('ABC'), null);
  assert.equal(normalizeCode('ABCD-EFGH-I'), null);
});

test('cache keys are SHA-256 digests', async () => {
  assert.equal(await sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.notEqual(await sha256Hex('a'), await sha256Hex('b'));
});

test('page strings: both languages have the same keys; placeholders fill', () => {
  assert.deepEqual(Object.keys(PAGE_STRINGS.zh).sort(), Object.keys(PAGE_STRINGS.en).sort());
  assert.equal(fill(pageStrings('en').foldBar, { n: 18 }), '18 comments hidden');
  assert.equal(fill(pageStrings('zh').foldBar, { n: 18 }), '已隐藏 18 条评论');
  assert.equal(pageStrings('en').hidden, 'Hidden for you', 'the label speaks about the person, not the product');
  assert.ok(!/Kindshield/.test(pageStrings('en').hidden));
});

test('hide-all-while-offline is off by default; content scripts may ask for health, report, mute', () => {
  assert.equal(DEFAULT_SETTINGS.hideAllOffline, false);
  assert.equal(normalizeSettings({ hideAllOffline: true }).hideAllOffline, true);
  assert.equal(normalizeSettings({ hideAllOffline: 'yes' }).hideAllOffline, false);
  for (const m of [MSG.HEALTH, MSG.REPORT_ITEM, MSG.MUTE_ACCOUNT, MSG.OPEN_PAGE]) assert.ok(CONTENT_MESSAGES.has(m), m);
  for (const m of [MSG.PAIR, MSG.DISCOVER, MSG.PAGE_COUNT]) assert.ok(!CONTENT_MESSAGES.has(m), `${m} is for extension pages only`);
});

test('font sizes are in rem/em everywhere, so the browser font-size setting applies', async () => {
  const { readFileSync, readdirSync, statSync } = await import('node:fs');
  const { join, dirname } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const walk = (d) => readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    if (statSync(p).isDirectory()) return n === 'tests' || n === 'node_modules' ? [] : walk(p);
    return /\.(css|js|html)$/.test(n) ? [p] : [];
  });
  const bad = [];
  for (const f of walk(root)) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/font(?:-size)?\s*:[^;'"`}]*?\b\d+(?:\.\d+)?px/g)) bad.push(`${f.slice(root.length)}: ${m[0]}`);
  }
  assert.deepEqual(bad, []);
});
