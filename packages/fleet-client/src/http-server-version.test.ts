import { describe, expect, it } from 'vitest';
import { parseServerVersion } from './http-server-version.js';

describe('parseServerVersion', () => {
  it.each([
    ['fleetd/1.0.0', '1.0.0'],
    ['fleetd/v0.11.8', '0.11.8'],
    ['fleetd/1.0.0+git', '1.0.0+git'],
    [['fleetd/0.13.0', 'x'], '0.13.0'],
    ['nginx/1.25', undefined],
    ['', undefined],
    [undefined, undefined],
    ['fleetd/', undefined],
  ] as const)('%j → %j', (header, version) => {
    expect(parseServerVersion(header as string | string[] | undefined)).toBe(version);
  });
});
