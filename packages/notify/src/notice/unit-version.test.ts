import { describe, expect, it } from 'vitest';
import { imageOf, tagOf, type UnitLine, versionOf } from './unit-version.js';

// systemd's ${VAR} in unit lines, not JavaScript placeholders
const HOSTNAME = '$' + '{HOSTNAME}';
const IMAGE = '$' + '{IMAGE}';

const unit = (...lines: Array<[string, string]>): UnitLine[] =>
  lines.map(([name, value]) => ({ section: 'Service', name, value }));

describe('versionOf / imageOf', () => {
  it('VERSION= from Environment (quoted, several per line, the last wins)', () => {
    expect(versionOf(unit(['Environment', 'VERSION=v2']))).toBe('v2');
    expect(versionOf(unit(['Environment', '"VERSION=1.2 beta" OTHER=x']))).toBe('1.2 beta');
    expect(versionOf(unit(['Environment', 'VERSION=a'], ['Environment', 'VERSION=b']))).toBe('b');
  });

  it("the image tag of docker run when there is no VERSION= (die-net's unit, options with values skipped)", () => {
    const u = unit([
      'ExecStart',
      `/usr/bin/docker run --name %n -m 1g -h ${HOSTNAME} -P -v /var/run/docker.sock:/var/run/docker.sock --rm dienet/deployer:1.4 --dockercfg /app/.dockercfg`,
    ]);
    expect(imageOf(u)).toBe('dienet/deployer:1.4');
    expect(versionOf(u)).toBe('1.4');
    expect(imageOf(unit(['ExecStart', '-/usr/bin/docker run --env=A=1 -d registry:5000/web:v3']))).toBe(
      'registry:5000/web:v3',
    );
  });

  it('nothing readable: undefined (the caller uses the contents hash)', () => {
    expect(versionOf(unit(['ExecStart', '/usr/bin/web --port 80']))).toBeUndefined();
    expect(versionOf(unit(['ExecStart', '/usr/bin/docker run web']))).toBeUndefined(); // no tag
    expect(imageOf(unit(['ExecStart', `/usr/bin/docker run ${IMAGE}`]))).toBeUndefined();
  });

  it('tagOf', () => {
    expect(tagOf('registry:5000/me/blog:v1.12')).toBe('v1.12');
    expect(tagOf('registry:5000/me/blog')).toBeUndefined();
    expect(tagOf('me/blog@sha256:0123456789abcdef0123')).toBe('0123456789ab');
  });
});
