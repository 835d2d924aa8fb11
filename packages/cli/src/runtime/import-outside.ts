/**
 * `import()` of a module outside the bundle (`@fleet-service/server`, installed beside the CLI).
 * bin/run.js runs the bundle from a V8 code cache (src/bundle-loader.ts), and node 20 loses the
 * dynamic-import callback of functions deserialized from a code cache: their own `import()` fails
 * with "A dynamic import callback was not specified". The loader hands in an `import()` from a
 * module compiled the usual way (same folder, so the same resolution); elsewhere (tests, tsc
 * builds, the binary) this is the plain `import()`.
 */
export const IMPORT_OUTSIDE = Symbol.for('fleet-service.import-outside');

export function importOutside(specifier: string): Promise<unknown> {
  const given = (globalThis as Record<symbol, unknown>)[IMPORT_OUTSIDE] as
    | ((specifier: string) => Promise<unknown>)
    | undefined;
  return given ? given(specifier) : import(specifier);
}
