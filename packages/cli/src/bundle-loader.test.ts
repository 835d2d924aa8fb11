import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileBundle, loadBundle, runBundle } from './bundle-loader.js';

const dir = mkdtempSync(join(tmpdir(), 'fs-bundle-loader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = join(dir, 'bundle.cjs');
writeFileSync(
  file,
  `const { basename } = require('node:path');
exports.name = basename(__filename);
exports.dir = __dirname;
exports.self = module.exports === exports;
exports.later = () => import('node:os').then((os) => typeof os.arch());
`,
);

type Exports = { name: string; dir: string; self: boolean; later: () => Promise<string> };

async function expectWorks(mod: unknown): Promise<void> {
  const m = mod as Exports;
  expect(m).toMatchObject({ name: 'bundle.cjs', dir, self: true });
  expect(await m.later()).toBe('string'); // import() inside the bundle works
}

describe('loadBundle', () => {
  it('runs the file as require() would, without a cache', async () => {
    await expectWorks(loadBundle(file, join(dir, 'missing.cache')));
  });

  // whether V8 accepts the real bundle's cache is checked in a fresh process by
  // test/cli/bundle.e2e.test.ts (within one process V8 may answer from its own compile cache)
  it('runs the file with a code cache, and with one V8 rejects', async () => {
    const script = compileBundle(file);
    await expectWorks(runBundle(script, file));
    const cache = join(dir, 'bundle.cache');
    writeFileSync(cache, script.createCachedData());
    await expectWorks(loadBundle(file, cache));
    writeFileSync(cache, 'not a code cache');
    await expectWorks(loadBundle(file, cache));
  });
});
