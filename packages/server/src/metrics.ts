/** Prometheus metrics (prom-client, a registry of the server's own). */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RolloutEntry } from './store/entry.js';

export interface ServeMetrics {
  registry: Registry;
  /** An entry ended (finished or superseded). */
  ended(entry: RolloutEntry): void;
}

export function createMetrics(gauges: { inFlight: () => number; queued: () => number }): ServeMetrics {
  const registry = new Registry();
  const rollouts = new Counter({
    name: 'fs_serve_rollouts_total',
    help: 'Rollouts ended, by outcome (superseded: replaced by a newer request before it started)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'fs_serve_rollout_duration_seconds',
    help: 'Time from start to end of a rollout',
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800],
    registers: [registry],
  });
  new Gauge({
    name: 'fs_serve_rollouts_in_flight',
    help: 'Rollouts running now',
    registers: [registry],
    collect() {
      this.set(gauges.inFlight());
    },
  });
  new Gauge({
    name: 'fs_serve_queue_length',
    help: 'Accepted requests waiting for their service or a --parallel slot',
    registers: [registry],
    collect() {
      this.set(gauges.queued());
    },
  });
  return {
    registry,
    ended(entry) {
      rollouts.inc({ outcome: entry.state === 'superseded' ? 'superseded' : (entry.outcome ?? 'error') });
      if (entry.startedAt !== undefined && entry.finishedAt !== undefined)
        duration.observe((entry.finishedAt - entry.startedAt) / 1_000);
    },
  };
}
