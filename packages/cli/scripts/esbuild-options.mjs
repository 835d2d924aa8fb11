// esbuild options shared by the bundles (the single binary's, its help renderer's, and
// dist/oclif-bundle.cjs for npm installs): one CommonJS file with every workspace package taken
// from source; typescript stays external (@oclif/core only needs it for development mode), and so
// do ssh2's optional native modules.
import { join } from 'node:path';

/** @param {string} root the package root (packages/cli) */
export function bundleOptions(root) {
  return {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    conditions: ['@fleet-service/source'],
    // ssh2's optional native parts (its own crypto binding, cpu-features): it requires them in a
    // try/catch and works without them
    external: ['typescript', 'cpu-features', '*.node'],
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    banner: { js: "process.env.OCLIF_DISABLE_ENGINE_WARNING='1';" },
    define: { 'import.meta.url': '__fs_import_meta_url' },
    inject: [join(root, 'scripts', 'import-meta-url.mjs')],
  };
}
