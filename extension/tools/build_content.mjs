#!/usr/bin/env node
// Bundle the content script: content/main.js and everything it imports -> content/bundle.js,
// one classic (non-module) script. Chrome cannot load ES-module content scripts, and loading the
// modules with import(chrome.runtime.getURL(...)) would force them to be web-accessible, i.e.
// readable by every page. The output is committed (the unpacked extension loads straight from a
// clone) and deterministic: same sources, same esbuild version -> same bytes.
//
//   node tools/build_content.mjs           write content/bundle.js
//   node tools/build_content.mjs --check   exit 1 if content/bundle.js is not what a build gives
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ENTRY, OUTFILE, contentSources, sourcesDigest, bannerFor, toPosix } from './content_graph.mjs';

export async function buildContent({ root = ROOT } = {}) {
  const esbuild = await import('esbuild');
  const files = contentSources(root);
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [ENTRY],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome116'],
    charset: 'utf8',
    legalComments: 'none',
    minify: false,
    sourcemap: false,
    metafile: true,
    write: false,
    outfile: OUTFILE,
    banner: { js: bannerFor(sourcesDigest(root, files)) },
    logLevel: 'silent',
  });
  // the digest must cover exactly what esbuild bundled, or a stale bundle could go unnoticed
  const inputs = Object.keys(result.metafile.inputs).map(toPosix).sort();
  if (JSON.stringify(inputs) !== JSON.stringify(files)) {
    throw new Error(`content_graph.mjs sees ${JSON.stringify(files)} but esbuild bundled ${JSON.stringify(inputs)}`);
  }
  return { text: result.outputFiles[0].text, files };
}

async function main() {
  const check = process.argv.includes('--check');
  const { text, files } = await buildContent();
  const out = join(ROOT, OUTFILE);
  if (check) {
    const same = existsSync(out) && readFileSync(out, 'utf8') === text;
    console.log(same ? `${OUTFILE} is up to date (${files.length} sources)` : `${OUTFILE} is stale: run npm run build`);
    process.exit(same ? 0 : 1);
  }
  writeFileSync(out, text);
  console.log(`wrote ${OUTFILE} from ${files.length} sources (${text.length} chars)`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => { console.error(err.message || err); process.exit(1); });
}
