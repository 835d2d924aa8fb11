// The npm bundle leaves out the libraries only some commands use — zod and yaml (`fs apply`),
// ssh2 (`--tunnel`), socks-proxy-agent (`--socks-proxy`): about half of the bundle's bytes. Each
// is bundled on its own as dist/vendor/NAME.cjs and required from there when first used. V8 parses
// (and the code cache holds) every byte of the main bundle at every start, so what `fs create`
// never runs costs its cold start and RSS all the same (~5 % and ~5 MiB, measured with
// farm-bench). esbuild splits code only for ESM output, so the split is done here: in the main
// bundle each library becomes a small CommonJS module that requires its vendor file (CommonJS, so
// an `import('ssh2')` stays inside the bundle as esbuild's lazy require, never a real import()
// — see src/bundle-loader.ts for why the bundle holds none). The single binary keeps everything
// in one file (scripts/build-binary.mjs does not use this).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The libraries split out, as imported by the workspace's code. */
export const VENDORED = ['zod', 'yaml', 'ssh2', 'socks-proxy-agent'];

const vendorFile = (name) => `./vendor/${name}.cjs`;

/**
 * esbuild plugin for the main bundle: each {@link VENDORED} import becomes a stub that requires
 * `./vendor/NAME.cjs` at run time; `importers` collects, per library, the folder it was imported
 * from (to resolve the same copy when bundling the vendor file).
 */
export function vendorSplit(importers) {
  const names = new RegExp(`^(${VENDORED.map((n) => n.replace(/[-/]/g, '\\$&')).join('|')})$`);
  return {
    name: 'vendor-split',
    setup(build) {
      build.onResolve({ filter: names }, (args) => {
        importers.set(args.path, args.resolveDir);
        return { path: args.path, namespace: 'vendor-stub' };
      });
      build.onLoad({ filter: /.*/, namespace: 'vendor-stub' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(`fs-vendor:${args.path}`)});`,
        loader: 'js',
        resolveDir: '.',
      }));
      build.onResolve({ filter: /^fs-vendor:/ }, (args) => ({
        path: vendorFile(args.path.slice('fs-vendor:'.length)),
        external: true,
      }));
    },
  };
}

/** Bundles each library `importers` saw into `distDir`/vendor/NAME.cjs (same esbuild options). */
export async function buildVendors(esbuild, options, importers, distDir) {
  mkdirSync(join(distDir, 'vendor'), { recursive: true });
  for (const name of VENDORED) {
    const resolveDir = importers.get(name);
    if (resolveDir === undefined)
      throw new Error(`vendor-split: nothing imports ${name} any more: drop it from VENDORED`);
    await esbuild.build({
      ...options,
      entryPoints: undefined,
      stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir, loader: 'js' },
      outfile: join(distDir, vendorFile(name)),
      banner: undefined,
    });
  }
}
