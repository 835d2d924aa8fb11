/** Shared set-up for the apply tests: the simulator on a ManualClock, a source server, fast settings. */
import { type ApplyEvent, type ApplyOptions, type ApplyResult, apply } from '@fleet-service/apply';
import type { RequestInfo } from '@fleet-service/fleet-client';
import { countingClient, type Harness, harness } from '../rollout/sim-harness.js';
import { type SourceServer, servicesYaml, startSourceServer } from './source-server.js';

/** Fast engine settings as services.yaml `defaults` (fleet time: the manual clock makes them free). */
export const FAST_DEFAULTS = `defaults:
  minHealthy: 2s
  pollInterval: 500ms
  timeouts: { stop: 60s, gone: 60s, launched: 60s, healthy: 60s }
  progressDeadline: 300s
`;

export const FAST_LOCK = { settleMs: 200, ttlMs: 30_000 };

export interface ApplyHarness extends Harness {
  source: SourceServer;
  /** Write services.yaml (with the fast defaults) from entries. */
  setServices(entries: Parameters<typeof servicesYaml>[0]): void;
  /** Run one apply against the simulator with a fresh request-counting client. */
  run(opts?: Partial<ApplyOptions>, deps?: { parallel?: number; failFast?: boolean }): Promise<Run>;
}

export interface Run {
  result: ApplyResult;
  error?: unknown;
  requests: RequestInfo[];
  writes: RequestInfo[];
  events: ApplyEvent[];
}

export async function applyHarness(opts: Parameters<typeof harness>[0] = {}): Promise<ApplyHarness> {
  const h = await harness(opts);
  const source = await startSourceServer();
  return {
    ...h,
    source,
    setServices(entries) {
      source.files.set('services.yaml', FAST_DEFAULTS + servicesYaml(entries));
    },
    async run(o = {}, d = {}) {
      const { api, requests, writes } = countingClient(h);
      const events: ApplyEvent[] = [];
      try {
        const result = await apply(
          { rootUri: source.root, ...o },
          { api, clock: h.clock, onEvent: (e) => events.push(e), lock: FAST_LOCK, ...d },
        );
        return { result, requests, writes: writes(), events };
      } catch (error) {
        const result = (error as { result?: ApplyResult }).result;
        if (!result) throw error;
        return { result, error, requests, writes: writes(), events };
      } finally {
        (api as { close?: () => void }).close?.();
      }
    },
    async close() {
      await source.close();
      await h.close();
    },
  };
}

/** The units a set of write requests touched (from their paths). */
export function unitsWritten(writes: RequestInfo[]): string[] {
  return [
    ...new Set(writes.map((w) => decodeURIComponent(w.path.split('/units/')[1] ?? '').split('?')[0]!)),
  ].sort();
}
