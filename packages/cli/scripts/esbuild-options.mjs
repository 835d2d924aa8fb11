// esbuild options shared by the bundles (the single binary's, its help renderer's, and
// dist/oclif-bundle.cjs for npm installs): one CommonJS file with every workspace package taken
// from source; typescript stays external (@oclif/core only needs it for development mode); ssh2's
// optional native modules are left out.
import { join } from 'node:path';

/**
 * ssh2 requires its optional native parts (its own crypto binding, cpu-features) in a try/catch
 * and works without them. In the bundle they become modules that throw when required: nothing to
 * resolve on disk, and no warning from a single binary's require() at run time.
 */
const withoutOptionalNativeModules = {
  name: 'without-optional-native-modules',
  setup(build) {
    build.onResolve({ filter: /^cpu-features$|\.node$/ }, (args) => ({
      path: args.path,
      namespace: 'optional-native',
    }));
    build.onLoad({ filter: /.*/, namespace: 'optional-native' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is not bundled (optional)`)});`,
      loader: 'js',
    }));
  },
};

/** @param {string} root the package root (packages/cli) */
export function bundleOptions(root) {
  return {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    conditions: ['@fleet-service/source'],
    // @fleet-service/server (fastify, better-sqlite3's native binding) is not bundled: `fs serve` loads it
    // from beside the CLI (npm install -g @fleet-service/cli @fleet-service/server)
    external: ['typescript', '@fleet-service/server'],
    plugins: [withoutOptionalNativeModules],
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    banner: { js: "process.env.OCLIF_DISABLE_ENGINE_WARNING='1';" },
    define: { 'import.meta.url': '__fs_import_meta_url' },
    inject: [join(root, 'scripts', 'import-meta-url.mjs')],
  };
}
