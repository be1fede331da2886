// The manifest, locales and source tree: pinned id, minimal permissions, every referenced file
// present, both locales complete, and no page or server text through innerHTML-like sinks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8'));
export const EXTENSION_ID = 'fbdidplofglnoigpajgpccgjjckmbohp';

function files(dir, filter = () => true) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) { if (!['tests', 'node_modules', 'tools'].includes(name)) out.push(...files(p, filter)); }
    else if (filter(p)) out.push(p);
  }
  return out;
}

test('manifest V3 with a key that pins the extension id', () => {
  assert.equal(manifest.manifest_version, 3);
  const der = Buffer.from(manifest.key, 'base64');
  const hex = createHash('sha256').update(der).digest('hex').slice(0, 32);
  const id = [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
  assert.equal(id, EXTENSION_ID);
  assert.equal(manifest.background.type, 'module');
});

test('permissions are minimal: the server origin only; sites are optional', () => {
  assert.deepEqual(manifest.host_permissions, ['http://127.0.0.1:8731/*', 'http://localhost:8731/*']);
  assert.deepEqual([...manifest.permissions].sort(), ['activeTab', 'alarms', 'contextMenus', 'notifications', 'scripting', 'storage']);
  for (const bad of ['tabs', 'history', 'cookies', 'webRequest', 'debugger', '<all_urls>', 'downloads']) {
    assert.ok(!manifest.permissions.includes(bad), bad);
  }
  assert.ok(!('content_scripts' in manifest), 'content scripts are registered only for sites the user granted');
  for (const h of ['weibo.com', 'bilibili.com', 'douyin.com', 'zhihu.com', 'youtube.com', 'x.com', 'twitter.com', 'reddit.com']) {
    assert.ok(manifest.optional_host_permissions.includes(`https://*.${h}/*`), h);
  }
  assert.match(manifest.content_security_policy.extension_pages, /script-src 'self'/);
});

test('every file the manifest names exists', () => {
  const named = [
    manifest.background.service_worker, manifest.action.default_popup, manifest.options_ui.page,
    ...Object.values(manifest.icons), ...Object.values(manifest.action.default_icon),
  ];
  for (const f of named) assert.ok(existsSync(join(ROOT, f)), f);
  for (const p of ['content/main.js', 'content/app.js', 'content/bundle.js', 'content/kindshield.css', 'dashboard/dashboard.html']) assert.ok(existsSync(join(ROOT, p)), p);
});

test('nothing is web-accessible: a page can neither detect the extension nor fetch its code', () => {
  assert.ok(!('web_accessible_resources' in manifest), JSON.stringify(manifest.web_accessible_resources));
  // the worker registers the one classic bundle, never a module loader
  const sw = readFileSync(join(ROOT, 'background/service_worker.js'), 'utf8');
  assert.match(sw, /js: \['content\/bundle\.js'\]/);
  for (const f of files(join(ROOT, 'content'), (p) => p.endsWith('.js'))) {
    assert.ok(!/runtime\.getURL|import\(/.test(readFileSync(f, 'utf8')), `${relative(ROOT, f)} loads nothing from the extension's URL`);
  }
});

test('every module import resolves', () => {
  for (const f of files(ROOT, (p) => p.endsWith('.js'))) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/^\s*import\s[^'"]*['"](\.[^'"]+)['"]/gm)) {
      assert.ok(existsSync(join(dirname(f), m[1])), `${relative(ROOT, f)} imports ${m[1]}`);
    }
  }
  for (const f of files(ROOT, (p) => p.endsWith('.html'))) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/(?:src|href)="(\.{0,2}[^":#]+\.(?:js|css|png))"/g)) {
      assert.ok(existsSync(join(dirname(f), m[1])), `${relative(ROOT, f)} references ${m[1]}`);
    }
    assert.ok(!/<script(?![^>]*\bsrc=)[^>]*>/.test(src), `${relative(ROOT, f)} has no inline script`);
    assert.ok(!/\son[a-z]+="/.test(src), `${relative(ROOT, f)} has no inline handlers`);
  }
});

test('locales: both complete, every used key defined, placeholders consistent', () => {
  const en = JSON.parse(readFileSync(join(ROOT, '_locales/en/messages.json'), 'utf8'));
  const zh = JSON.parse(readFileSync(join(ROOT, '_locales/zh_CN/messages.json'), 'utf8'));
  assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
  for (const k of Object.keys(en)) {
    assert.ok(en[k].message && zh[k].message, k);
    const ph = (s) => [...s.matchAll(/\$([A-Z_]+)\$/g)].map((m) => m[1].toLowerCase()).sort();
    assert.deepEqual(ph(zh[k].message), ph(en[k].message), `placeholders of ${k}`);
    for (const p of ph(en[k].message)) assert.ok(en[k].placeholders && en[k].placeholders[p], `${k} defines $${p}$`);
  }
  const used = new Set();
  for (const f of files(ROOT, (p) => /\.(js|html|json)$/.test(p) && !p.includes('_locales'))) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/data-i18n(?:-title|-placeholder)?="([A-Za-z0-9_]+)"/g)) used.add(m[1]);
    for (const m of src.matchAll(/\bt\('([A-Za-z0-9_]+)'/g)) used.add(m[1]);
    for (const m of src.matchAll(/__MSG_([A-Za-z0-9_]+)__/g)) used.add(m[1]);
    for (const m of src.matchAll(/label: '([A-Za-z0-9_]+)'/g)) used.add(m[1]);
  }
  for (const k of used) assert.ok(en[k], `locale key ${k} is defined`);
  assert.equal(manifest.default_locale, 'en');
});

test('no innerHTML-like sinks, no eval; only the service worker uses the network', () => {
  const sinks = /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(|setTimeout\(\s*['"`]/;
  for (const f of files(ROOT, (p) => p.endsWith('.js'))) {
    const rel = relative(ROOT, f);
    const src = readFileSync(f, 'utf8');
    assert.ok(!sinks.test(src), `${rel} uses an HTML or code sink`);
    const usesNetwork = /\bfetch\(|XMLHttpRequest|WebSocket|sendBeacon|EventSource/.test(src);
    const allowed = rel.startsWith('background/') || rel === 'lib/i18n.js'; // i18n reads the extension's own _locales
    assert.ok(!usesNetwork || allowed, `${rel} must leave the network to the service worker`);
  }
});

test("Kindshield's own UI in pages lives in closed shadow roots (a page cannot read verdicts through shadowRoot)", () => {
  let n = 0;
  for (const f of files(join(ROOT, 'content'), (p) => p.endsWith('.js') && !p.endsWith('bundle.js'))) {
    for (const m of readFileSync(f, 'utf8').matchAll(/attachShadow\(([^)]*)\)/g)) {
      n++;
      assert.match(m[1], /mode: 'closed'/, `${relative(ROOT, f)}: ${m[0]}`);
    }
  }
  assert.ok(n >= 5, `found ${n} attachShadow calls`);
});
