import { describe, expect, it } from 'vitest';
import { decodeBase64Url, encodePageToken, readPageToken, slicePage } from './pagination.js';

describe('page tokens (api/pagination.go)', () => {
  it('encodes and decodes fleet’s test vectors', () => {
    expect(encodePageToken({ limit: 12482, page: 0 })).toBe('wjAAAA==');
    expect(encodePageToken({ limit: 19, page: 11852 })).toBe('EwBMLg==');
    expect(encodePageToken({ limit: 100, page: 2 })).toBe('ZAACAA==');
    expect(encodePageToken({ limit: 2, page: 2 })).toBe('AgACAA==');
    expect([...decodeBase64Url('_wMAAA==')]).toEqual([0xff, 0x03, 0, 0]);
    expect(readPageToken(['LQAJAA=='], 45)).toEqual({ limit: 45, page: 9 });
  });

  it('reports Go’s errors', () => {
    const err = (values: string[], limit = 100) => {
      try {
        readPageToken(values, limit);
        return 'ok';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(err(['a', 'b'])).toBe('too many values for page token');
    expect(err(['AgACAA'])).toBe('illegal base64 data at input byte 4');
    expect(err(['garbage!'])).toBe('illegal base64 data at input byte 7');
    expect(err(['xyz'])).toBe('illegal base64 data at input byte 0');
    expect(err(['bogus'])).toBe('illegal base64 data at input byte 4');
    expect(err([''])).toBe('EOF');
    expect(err(['AAAAAA=='])).toBe('token limit must be 100');
    expect(err(['ZAAAAA=='])).toBe('token page must be greater than zero');
    expect(err([])).toBe('ok');
  });

  it('slices with a trailing token on exact multiples', () => {
    const items = Array.from({ length: 103 }, (_, i) => i);
    const p1 = slicePage(items, undefined, 60);
    expect([p1.items.length, p1.next]).toEqual([60, encodePageToken({ limit: 60, page: 2 })]);
    const p2 = slicePage(items, { limit: 60, page: 2 }, 60);
    expect([p2.items.length, p2.next]).toEqual([43, undefined]);
    expect(slicePage([1, 2], undefined, 2).next).toBe('AgACAA==');
    expect(slicePage([1, 2], { limit: 2, page: 2 }, 2)).toEqual({ items: [], next: undefined });
  });
});
