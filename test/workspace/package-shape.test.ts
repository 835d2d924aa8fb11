// Every workspace package has the same shape: MIT, ESM, exports map with the source condition,
// types and default (published without the source condition), only built files published, a
// README, and dependencies that run one way.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const packages = ['fleet-client', 'fleet-sim', 'rollout', 'notify', 'apply', 'server', 'cli'];
const allowedWorkspaceDeps: Record<string, string[]> = {
  'fleet-client': [],
  'fleet-sim': ['@fleet-service/fleet-client'],
  rollout: ['@fleet-service/fleet-client'],
  apply: ['@fleet-service/fleet-client', '@fleet-service/rollout'],
  // notify knows results, not fleet: rollout's types only (RolloutResult, RolloutEvent)
  notify: ['@fleet-service/rollout'],
  // fs serve: the engine behind HTTP; the services come from apply's parser, outcomes go to notify
  server: [
    '@fleet-service/apply',
    '@fleet-service/fleet-client',
    '@fleet-service/notify',
    '@fleet-service/rollout',
  ],
  // the CLI ships one bundle with rollout, fleet-sim and oclif inside; its library entry
  // re-exports NotFleetError from fleet-client and decides exit codes with rollout's classification
  // (@fleet-service/server is not a dependency: `fs serve` loads it when installed beside the CLI)
  cli: ['@fleet-service/fleet-client', '@fleet-service/rollout'],
};

describe.each(packages)('packages/%s', (name) => {
  const dir = join(root, 'packages', name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

  it('is an MIT ESM package publishing only dist', () => {
    expect(pkg.name).toBe(`@fleet-service/${name}`);
    expect(pkg.license).toBe('MIT');
    expect(pkg.type).toBe('module');
    expect(pkg.files.some((f: string) => f === 'dist' || f.startsWith('dist/'))).toBe(true);
    expect(pkg.files.filter((f: string) => f.endsWith('.map') && !f.startsWith('!'))).toEqual([]);
  });

  it('publishes its exports without the in-repo source condition', () => {
    const { '@fleet-service/source': _source, ...published } = pkg.exports['.'];
    expect(pkg.publishConfig.exports['.']).toEqual(published);
    expect(pkg.publishConfig.exports['./package.json']).toBe('./package.json');
    expect(pkg.publishConfig.access).toBe('public');
  });

  it('exports types, default and the source condition first', () => {
    const dot = pkg.exports['.'];
    expect(Object.keys(dot)[0]).toBe('@fleet-service/source');
    expect(dot['@fleet-service/source']).toBe('./src/index.ts');
    expect(dot.types).toBe('./dist/index.d.ts');
    expect(dot.default).toBe('./dist/index.js');
    expect(existsSync(join(dir, 'src', 'index.ts'))).toBe(true);
  });

  it('has a README', () => {
    expect(existsSync(join(dir, 'README.md'))).toBe(true);
  });

  it('depends only on the workspace packages its layer may import', () => {
    const deps = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }).filter((d) =>
      d.startsWith('@fleet-service/'),
    );
    expect(deps.sort()).toEqual([...(allowedWorkspaceDeps[name] ?? [])].sort());
  });
});
