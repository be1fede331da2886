// The committed content-script bundle (content/bundle.js) is what the sources give: its banner
// names a digest of every module reachable from content/main.js (checked always, no bundler
// needed), and where esbuild is installed (npm ci in extension/) a rebuild is byte-identical.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { ROOT, OUTFILE, contentSources, sourcesDigest, bannerDigest } from '../tools/content_graph.mjs';

const bundle = readFileSync(join(ROOT, OUTFILE), 'utf8');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

function esbuildVersion() {
  try { return createRequire(join(ROOT, 'package.json'))('esbuild/package.json').version; } catch { return null; }
}

test('the bundle was built from the current sources (digest in its banner)', () => {
  const files = contentSources();
  assert.ok(files.includes('content/app.js') && files.includes('lib/adapters/index.js'), files.join(' '));
  assert.equal(bannerDigest(bundle), sourcesDigest(ROOT, files), `${OUTFILE} is stale: run \`npm run build\` in extension/`);
});

test('the bundle is one classic script: no import, no export, no extension URL', () => {
  assert.ok(!/^\s*(import|export)\s/m.test(bundle), 'no module syntax');
  assert.ok(!/\bimport\(/.test(bundle), 'no dynamic import');
  assert.ok(!bundle.includes('runtime.getURL'), 'loads nothing from the extension');
});

test('esbuild is pinned to an exact version', () => {
  assert.match(pkg.devDependencies.esbuild, /^\d+\.\d+\.\d+$/);
});

const version = esbuildVersion();
test('rebuilding gives the committed bytes', { skip: version ? false : 'esbuild is not installed (npm ci in extension/); the digest test above still guards the bundle' }, async () => {
  assert.equal(version, pkg.devDependencies.esbuild, 'installed esbuild is the pinned one');
  const { buildContent } = await import('../tools/build_content.mjs');
  const { text } = await buildContent();
  assert.ok(text === bundle, `${OUTFILE} differs from a fresh build: run \`npm run build\` in extension/`);
});
