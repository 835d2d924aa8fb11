/** An entry's rollout settings: file defaults, then the entry's own, then sequentialDeployment's mapping. */
import type { HealthCheck } from '@fleet-service/rollout';
import type { StrategySettings } from '../desired.js';
import type { StrategyInput } from './schema.js';

/** Schema values (durations already in ms) → engine settings. */
export function strategyOf(input: StrategyInput | undefined): StrategySettings {
  if (!input) return {};
  const out: StrategySettings = {};
  if (input.maxUnavailable !== undefined) out.maxUnavailable = input.maxUnavailable;
  if (input.maxSurge !== undefined) out.maxSurge = input.maxSurge;
  if (input.allowOutage !== undefined) out.allowOutage = input.allowOutage;
  if (input.machineAware !== undefined) out.machineAware = input.machineAware;
  if (input.replaceMode !== undefined) out.replaceMode = input.replaceMode;
  if (input.minHealthy !== undefined) out.minHealthyMs = input.minHealthy;
  if (input.progressDeadline !== undefined) out.progressDeadlineMs = input.progressDeadline;
  if (input.pollInterval !== undefined) out.pollIntervalMs = input.pollInterval;
  if (input.onFailure !== undefined) out.onFailure = input.onFailure;
  if (input.maxParallel !== undefined) out.maxParallel = input.maxParallel;
  if (input.timeouts) {
    const t = Object.fromEntries(Object.entries(input.timeouts).filter(([, v]) => v !== undefined));
    if (Object.keys(t).length > 0) out.timeouts = t;
  }
  if (input.healthChecks)
    out.healthChecks = input.healthChecks.map((c): HealthCheck => {
      const timeoutMs = c.timeout !== undefined ? { timeoutMs: c.timeout } : {};
      if ('http' in c)
        return {
          kind: 'http',
          url: c.http,
          ...(c.expectStatus ? { expectStatus: c.expectStatus } : {}),
          ...timeoutMs,
        };
      const colon = c.tcp.lastIndexOf(':');
      return { kind: 'tcp', host: c.tcp.slice(0, colon), port: Number(c.tcp.slice(colon + 1)), ...timeoutMs };
    });
  return out;
}

/**
 * Merge: the entry's settings over the file's defaults (timeouts merged per state). Then coco's
 * `sequentialDeployment`, unless the entry set the strategy itself: `true` → one instance at a time
 * (maxUnavailable 1); `false` → every instance at once (maxUnavailable = count, an outage the plan
 * names); absent → fs's defaults.
 */
export function mergeStrategy(
  defaults: StrategySettings,
  own: StrategySettings,
  sequential: boolean | undefined,
  count: number,
): StrategySettings {
  const merged: StrategySettings = { ...defaults, ...own };
  if (defaults.timeouts || own.timeouts) merged.timeouts = { ...defaults.timeouts, ...own.timeouts };
  const strategyGiven = own.maxUnavailable !== undefined || own.maxSurge !== undefined;
  if (sequential === true && !strategyGiven) {
    merged.maxUnavailable = 1;
    merged.maxSurge = 0;
  }
  if (sequential === false && !strategyGiven && count > 0) {
    merged.maxUnavailable = count;
    merged.maxSurge = 0;
    merged.allowOutage = true;
  }
  return merged;
}
