/**
 * vitest globalSetup of the `realfleet` project: starts ONE real fleet v1.0.0 cluster (3 machines,
 * free ports, --fresh) for the whole test run and stops it at the end. When the test bed is not
 * built: under CI=true the run fails (CI builds it in .ci/run); elsewhere the suite is skipped
 * with the one command that builds it.
 */
import type { TestProject } from 'vitest/node';
import { BUILD_COMMAND, missingPieces, removeRunDir, startTestBed, type TestBed } from './testbed.js';

declare module 'vitest' {
  export interface ProvidedContext {
    realfleet: TestBed | { skip: string };
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const problem = missingPieces();
  const ci = process.env.CI === 'true' || process.env.CI === '1';
  if (problem) {
    if (ci) throw new Error(`real fleet test bed unavailable under CI: ${problem}`);
    project.provide('realfleet', { skip: `real fleet test bed not built: ${problem}; run ${BUILD_COMMAND}` });
    return undefined;
  }
  const bed = await startTestBed({ machines: 3, startDelay: '1s' });
  const { stop, ...serializable } = bed;
  project.provide('realfleet', serializable);
  return async () => {
    await stop();
    if (process.env.FS_REALFLEET_KEEP !== '1') await removeRunDir(bed.dir);
  };
}
