// esbuild inject for the CommonJS bundle: `import.meta.url` has no meaning there; give the
// file URL of the running binary instead, so code that derives paths from it still works.
import { pathToFileURL } from 'node:url';
export const __fs_import_meta_url = pathToFileURL(__filename).href;
