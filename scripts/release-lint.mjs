#!/usr/bin/env node
// `npm run lint:packages`: packs every package (needs a build) and checks each tarball as a
// consumer would get it: publint (strict: warnings fail) and @arethetypeswrong/cli (ESM-only
// packages: the node16-from-ESM and bundler resolutions must be clean). Exits 1 on any problem.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packPackages, repoRoot } from './release-pack.mjs';

const dir = mkdtempSync(join(tmpdir(), 'fs-lint-packages-'));
let failed = 0;
try {
  for (const p of packPackages(dir)) {
    for (const [tool, args] of [
      ['publint', ['run', p.tarball, '--strict']],
      ['attw', [p.tarball, '--profile', 'esm-only', '--format', 'ascii']],
    ]) {
      const run = spawnSync('npx', ['--no-install', tool, ...args], { cwd: repoRoot, encoding: 'utf8' });
      const ok = run.status === 0;
      process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${tool} ${p.name}@${p.version}\n`);
      if (!ok) {
        failed++;
        process.stdout.write(`${run.stdout}${run.stderr}\n`);
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed > 0 ? 1 : 0);
