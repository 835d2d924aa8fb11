// Every TypeScript/JavaScript block of the root README and the package READMEs type-checks as a
// strict consumer's code against the built packages, and runs against a simulated cluster
// (fleet-sim on loopback), so a README cannot drift from the code. A block runs as written except
// that the README's example endpoints (`unix:///var/run/fleet.sock`, `http://127.0.0.1:49153`)
// are pointed at the simulator, in a directory holding the unit files the examples read
// (`web.service`, `web@.service`, `deploy/web.service`).
// A block tagged ```ts check-only (it needs what a test cannot have: a TLS fleet, an SSH host)
// (or listed in allow-list.ts's CHECK_ONLY) is only type-checked. Blocks not passing yet are in
// allow-list.ts's NOT_YET_PASSING, each with its reason.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFleetSim } from '@fleet-service/fleet-sim';
import { afterAll, describe, expect, it } from 'vitest';
import { CHECK_ONLY, NOT_YET_PASSING } from './allow-list.js';
import { compileBlocks, readmeBlocks, repoRoot, workDir } from './readme-blocks.js';

const EXAMPLE_ENDPOINTS = ['unix:///var/run/fleet.sock', 'http://127.0.0.1:49153'];
const UNIT =
  '[Unit]\nDescription=web\n\n[Service]\nExecStart=/usr/bin/sleep infinity\nEnvironment=VERSION=1\n';

const built = ['fleet-client', 'fleet-sim', 'rollout', 'apply', 'cli'].every((p) =>
  existsSync(join(repoRoot, 'packages', p, 'dist', 'index.d.ts')),
);
const blocks = readmeBlocks();
const diagnostics = built ? compileBlocks(blocks) : new Map<string, string[]>();
const fixtures = mkdtempSync(join(tmpdir(), 'fs-readme-'));
afterAll(() => {
  rmSync(fixtures, { recursive: true, force: true });
  rmSync(workDir, { recursive: true, force: true });
});

describe.runIf(built)('README code blocks', () => {
  it('are found (the extraction works)', () => {
    expect(blocks.length).toBeGreaterThan(5);
    for (const key of [...Object.keys(NOT_YET_PASSING), ...Object.keys(CHECK_ONLY)]) {
      expect(blocks.map((b) => b.key)).toContain(key);
    }
  });

  for (const block of blocks) {
    const reason = NOT_YET_PASSING[block.key];
    const checkOnly = block.tags.includes('check-only') || CHECK_ONLY[block.key] !== undefined;
    const name = `${block.key} (line ${block.line})${checkOnly ? `, type-check only: ${CHECK_ONLY[block.key] ?? 'tagged'}` : ''}`;
    // an allow-listed block must still fail: fixing it without emptying its entry fails here
    it(reason ? `${name} — not yet: ${reason}` : name, {
      timeout: 60_000,
      fails: reason !== undefined,
    }, async () => {
      expect(diagnostics.get(block.source) ?? [], 'type errors').toEqual([]);
      if (checkOnly) return;
      const run = await runBlock(block.output);
      expect(run.code, `exit code; output:\n${run.output}`).toBe(0);
    });
  }
});

/** Runs the compiled block against a fresh simulated cluster; resolves with its exit code. */
async function runBlock(output: string): Promise<{ code: number | null; output: string }> {
  const sim = await startFleetSim({ machines: 3, speed: 50 });
  try {
    const dir = mkdtempSync(join(fixtures, 'run-'));
    mkdirSync(join(dir, 'deploy'));
    for (const f of ['web.service', 'web@.service', 'deploy/web.service']) writeFileSync(join(dir, f), UNIT);
    let code = readFileSync(output, 'utf8');
    for (const endpoint of EXAMPLE_ENDPOINTS) code = code.replaceAll(endpoint, sim.endpoint);
    const script = output.replace(/\.js$/, '.run.js');
    writeFileSync(script, code);
    return await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [script], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d));
      child.stderr.on('data', (d: Buffer) => (text += d));
      child.once('error', reject);
      child.once('close', (exit) => resolve({ code: exit, output: text }));
    });
  } finally {
    await sim.close();
  }
}
