/**
 * The services.yaml schema (zod): coco-fleet-deployer's keys, unchanged, plus fs's optional
 * rollout settings per entry and as file-level `defaults`. Durations are `90s`, `10m`, `500ms`,
 * `1h`, or a number of seconds.
 */
import { z } from 'zod';

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** `90s` → 90_000; a bare number is seconds. */
export function durationMs(value: number | string): number {
  if (typeof value === 'number') return Math.round(value * 1_000);
  const m = DURATION.exec(value.trim());
  if (!m) return Number.NaN;
  return Math.round(Number(m[1]) * (UNIT_MS[m[2] ?? 's'] ?? 1_000));
}

const duration = z
  .union([
    z.number().nonnegative(),
    z
      .string()
      .regex(DURATION, { error: 'expected a duration such as 90s, 10m, 500ms or a number of seconds' }),
  ])
  .transform(durationMs);

const whole = (what: string, min: number) =>
  z.int({ error: `${what} must be a whole number ≥ ${min}` }).min(min, { error: `${what} must be ≥ ${min}` });

const healthCheck = z.union([
  z.strictObject({
    http: z.string().regex(/^http:\/\//, { error: 'an http:// URL, e.g. http://{ip}:8080/health' }),
    expectStatus: z.int().min(100).max(599).optional(),
    timeout: duration.optional(),
  }),
  z.strictObject({
    tcp: z.string().regex(/^.+:\d{1,5}$/, { error: 'HOST:PORT, e.g. {ip}:8080' }),
    timeout: duration.optional(),
  }),
]);

/** fs's rollout settings: per entry, or for every entry under `defaults`. */
export const strategyShape = {
  maxUnavailable: whole('maxUnavailable', 0).optional(),
  maxSurge: whole('maxSurge', 0).optional(),
  allowOutage: z.boolean().optional(),
  machineAware: z.boolean().optional(),
  replaceMode: z.enum(['auto', 'recreate', 'in-place']).optional(),
  minHealthy: duration.optional(),
  timeouts: z
    .strictObject({
      stop: duration.optional(),
      gone: duration.optional(),
      launched: duration.optional(),
      healthy: duration.optional(),
    })
    .optional(),
  progressDeadline: duration.optional(),
  pollInterval: duration.optional(),
  onFailure: z.enum(['abort', 'pause', 'rollback']).optional(),
  maxParallel: whole('maxParallel', 1).optional(),
  healthChecks: z.array(healthCheck).optional(),
};

/** One entry of `services:` (coco's six keys first). */
export const entrySchema = z.strictObject({
  name: z.string({ error: 'name is required (e.g. web@.service)' }).min(1, { error: 'name is empty' }),
  version: z.union([z.string(), z.number()]).optional(),
  count: whole('count', 0).optional(),
  uri: z.string().optional(),
  desiredState: z.enum(['launched', 'loaded', 'inactive', '']).optional(),
  sequentialDeployment: z.boolean().optional(),
  // fs serve (@fleet-service/server): what may be deployed over HTTP; fs apply accepts and ignores them
  image: z
    .string()
    .regex(/^[a-z0-9]+(?:[._/:-][a-z0-9]+)*$/, {
      error: 'image is a repository without a tag, e.g. myorg/foo or registry.example.com:5000/foo',
    })
    .optional(),
  allowUpdates: z.boolean().optional(),
  notify: z.array(z.string().min(1)).optional(),
  // deployster's versioned deploys: S-<version>@1..N beside the running version
  strategy: z.enum(['rolling', 'versioned']).optional(),
  // fs serve's one-off tasks: the task's unit file template ({{version}}, {{command}})
  task: z.string().min(1).optional(),
  destroyPrevious: z.union([z.boolean(), z.literal('at-end')]).optional(),
  batchSize: whole('batchSize', 1).optional(),
  ...strategyShape,
});

export const fileSchema = z.strictObject({
  services: z.array(entrySchema).nullable().optional(),
  defaults: z.strictObject(strategyShape).optional(),
});

export type EntryInput = z.infer<typeof entrySchema>;
export type StrategyInput = z.infer<z.ZodObject<typeof strategyShape>>;
export type FileInput = z.infer<typeof fileSchema>;
