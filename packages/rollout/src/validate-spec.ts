/** validateSpec: every problem with a RolloutSpec at once, including relations between settings. */
import { parseRequirements, validateServiceName, validateUnitOptions } from './fleet-helpers.js';
import { isReservedServiceName, LOCK_SUFFIX, RECORD_SUFFIX } from './reserved-units.js';
import { type RolloutSpec, resolveSettings, type SpecProblem } from './spec.js';

/** `true` when the unit file asks for a global unit (last `[X-Fleet] Global=` value is truthy). */
export function isGlobalUnitFile(options: RolloutSpec['unitFile']): boolean {
  return parseRequirements(options).global;
}

/**
 * Check a spec without touching anything. Returns every problem found (empty = usable), each with
 * the option's dotted name in `field` (front ends map it to their own names, e.g. a CLI flag).
 * Relations checked, between settings the caller gave (unset ones are derived to fit, see
 * resolveSettings): maxUnavailable + maxSurge ≥ 1; maxUnavailable < count unless allowOutage;
 * minHealthyMs < timeouts.healthy; every timeout ≤ progressDeadlineMs; pollIntervalMs < every
 * timeout; pollIntervalMs ≤ minHealthyMs / 2 (when minHealthyMs > 0); lock.ttlMs ≥ 3 × pollIntervalMs.
 */
export function validateSpec(spec: RolloutSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const add = (field: string, message: string, kind: SpecProblem['kind'] = 'invalid') =>
    problems.push({ field, message, kind });

  if (typeof spec.service !== 'string') {
    add('service', 'service must be a string');
  } else {
    const nameProblem = validateServiceName(spec.service);
    if (nameProblem) add('service', nameProblem);
    else if (isReservedServiceName(spec.service)) {
      add(
        'service',
        `service name "${spec.service}" ends in "${RECORD_SUFFIX}" or "${LOCK_SUFFIX}", reserved for fs's own units`,
      );
    }
  }

  if (!Array.isArray(spec.unitFile) || spec.unitFile.length === 0) {
    add('unitFile', 'unitFile must be a non-empty list of options');
  } else {
    for (const p of validateUnitOptions(spec.unitFile))
      add(`unitFile${p.index === undefined ? '' : `[${p.index}]`}`, p.message);
    if (isGlobalUnitFile(spec.unitFile) && !spec.perMachine) {
      add(
        'unitFile',
        'Global=true units are not rolled as they are (fleet replaces them on every machine at once); perMachine (fs create --per-machine) rolls them machine by machine: one instance per machine, pinned with MachineID=, all machines but one serving',
        'unsupported',
      );
    }
  }

  const int = (field: string, value: unknown, min: number) => {
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
      add(field, `${field} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
    }
  };
  const positiveMs = (field: string, value: unknown, min = 1) => {
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
      add(field, `${field} must be a number of milliseconds ≥ ${min}, got ${JSON.stringify(value)}`);
    }
  };

  int('count', spec.count, 1);
  if (spec.allowOutage !== undefined && typeof spec.allowOutage !== 'boolean')
    add('allowOutage', `allowOutage must be true or false, got ${JSON.stringify(spec.allowOutage)}`);
  int('maxUnavailable', spec.maxUnavailable, 0);
  int('maxSurge', spec.maxSurge, 0);
  int('maxParallel', spec.maxParallel, 1);
  int('canary', spec.canary, 0);
  positiveMs('canaryAutoPromoteMs', spec.canaryAutoPromoteMs, 0);
  if (spec.canaryAutoPromoteMs !== undefined && !(spec.canary !== undefined && spec.canary > 0))
    add('canaryAutoPromoteMs', 'canaryAutoPromoteMs needs canary ≥ 1');
  positiveMs('batchDelayMs', spec.batchDelayMs, 0);
  if (
    spec.maxFailures !== undefined &&
    (typeof spec.maxFailures !== 'number' ||
      !Number.isFinite(spec.maxFailures) ||
      spec.maxFailures < 0 ||
      (spec.maxFailures >= 1 && !Number.isInteger(spec.maxFailures)))
  )
    add(
      'maxFailures',
      `maxFailures must be an integer ≥ 0 or a ratio below 1, got ${JSON.stringify(spec.maxFailures)}`,
    );
  if (spec.hooks?.preStop !== undefined && typeof spec.hooks.preStop !== 'function')
    add('hooks.preStop', 'hooks.preStop must be an async function (ctx) => void');
  if (spec.hooks?.postStart !== undefined && typeof spec.hooks.postStart !== 'function')
    add('hooks.postStart', 'hooks.postStart must be an async function (ctx) => void');
  if (spec.hooks?.timeoutMs !== undefined) positiveMs('hooks.timeoutMs', spec.hooks.timeoutMs);
  if (spec.perMachine && spec.count !== undefined)
    add('count', 'count and perMachine exclude each other: perMachine runs one instance per machine');
  if (spec.perMachine && spec.maxSurge)
    add(
      'maxSurge',
      'maxSurge and perMachine exclude each other: a spare cannot be pinned to a machine that runs one',
    );
  if (spec.perMachine && spec.canary)
    add('canary', 'canary and perMachine exclude each other: every machine already runs its instance');
  positiveMs('minHealthyMs', spec.minHealthyMs, 0);
  positiveMs('progressDeadlineMs', spec.progressDeadlineMs);
  positiveMs('pollIntervalMs', spec.pollIntervalMs);
  for (const [key, value] of Object.entries(spec.timeouts ?? {})) {
    if (!['stop', 'gone', 'launched', 'healthy'].includes(key))
      add(`timeouts.${key}`, `unknown timeout "${key}" (known: stop, gone, launched, healthy)`);
    else positiveMs(`timeouts.${key}`, value);
  }
  if (spec.onFailure !== undefined && !['abort', 'pause', 'rollback'].includes(spec.onFailure)) {
    add('onFailure', `onFailure must be abort, pause or rollback, got ${JSON.stringify(spec.onFailure)}`);
  }
  if (spec.replaceMode !== undefined && !['auto', 'recreate', 'in-place'].includes(spec.replaceMode)) {
    add(
      'replaceMode',
      `replaceMode must be auto, recreate or in-place, got ${JSON.stringify(spec.replaceMode)}`,
    );
  }
  if (spec.lock?.ttlMs !== undefined) positiveMs('lock.ttlMs', spec.lock.ttlMs);
  if (spec.lock?.settleMs !== undefined) positiveMs('lock.settleMs', spec.lock.settleMs, 0);
  if (spec.lock?.isHolderAlive !== undefined && typeof spec.lock.isHolderAlive !== 'function')
    add('lock.isHolderAlive', 'lock.isHolderAlive must be a function (holder) => boolean');

  spec.healthChecks?.forEach((check, i) => {
    const field = `healthChecks[${i}]`;
    if (check.kind === 'http') {
      const probe = check.url.replace(/\{(ip|index|machineID|name)\}/g, 'x');
      let url: URL | undefined;
      try {
        url = new URL(probe);
      } catch {
        add(`${field}.url`, `health check url "${check.url}" is not a URL`);
      }
      if (url && url.protocol !== 'http:')
        add(`${field}.url`, `health check url "${check.url}" must be http:`);
      if (check.expectStatus !== undefined) int(`${field}.expectStatus`, check.expectStatus, 100);
      positiveMs(`${field}.timeoutMs`, check.timeoutMs);
    } else if (check.kind === 'tcp') {
      if (!check.host) add(`${field}.host`, 'tcp health check needs a host (template)');
      if (!Number.isInteger(check.port) || check.port < 1 || check.port > 65535) {
        add(`${field}.port`, `tcp health check port must be 1..65535, got ${JSON.stringify(check.port)}`);
      }
      positiveMs(`${field}.timeoutMs`, check.timeoutMs);
    } else if (check.kind === 'callback') {
      if (typeof check.check !== 'function')
        add(`${field}.check`, 'callback health check needs a check function');
    } else {
      add(`${field}.kind`, `unknown health check kind ${JSON.stringify((check as { kind?: unknown }).kind)}`);
    }
  });

  // Relations, only when the parts are individually valid.
  if (
    problems.some((p) => p.kind === 'invalid' && p.field !== 'service' && !p.field.startsWith('unitFile'))
  ) {
    return problems;
  }
  const s = resolveSettings(spec);
  // Only settings the caller gave can conflict: the others are derived from them (resolveSettings).
  // A relation is checked when at least one side was given; the problem names a side that was.
  const given = {
    minHealthyMs: spec.minHealthyMs !== undefined,
    pollIntervalMs: spec.pollIntervalMs !== undefined,
    progressDeadlineMs: spec.progressDeadlineMs !== undefined,
    timeout: (key: string) =>
      (spec.timeouts as Record<string, number | undefined> | undefined)?.[key] !== undefined,
  };
  if (s.maxUnavailable + s.maxSurge < 1) {
    add('maxUnavailable', 'maxUnavailable and maxSurge are both 0: no instance could ever be replaced');
  }
  if (spec.count !== undefined) problems.push(...outageProblems(spec, spec.count));
  if (s.minHealthyMs >= s.timeouts.healthy) {
    add(
      given.minHealthyMs || !given.timeout('healthy') ? 'minHealthyMs' : 'timeouts.healthy',
      `minHealthyMs (${s.minHealthyMs} ms) must be less than timeouts.healthy (${s.timeouts.healthy} ms)`,
    );
  }
  for (const [key, value] of Object.entries(s.timeouts)) {
    if (value > s.progressDeadlineMs) {
      add(
        given.timeout(key) || !given.progressDeadlineMs ? `timeouts.${key}` : 'progressDeadlineMs',
        `timeouts.${key} (${value} ms) must not exceed progressDeadlineMs (${s.progressDeadlineMs} ms)`,
      );
    }
    if (s.pollIntervalMs >= value) {
      add(
        given.pollIntervalMs || !given.timeout(key) ? 'pollIntervalMs' : `timeouts.${key}`,
        `pollIntervalMs (${s.pollIntervalMs} ms) must be less than timeouts.${key} (${value} ms)`,
      );
    }
  }
  if (s.minHealthyMs > 0 && s.pollIntervalMs * 2 > s.minHealthyMs) {
    add(
      given.pollIntervalMs ? 'pollIntervalMs' : 'minHealthyMs',
      `pollIntervalMs (${s.pollIntervalMs} ms) must be at most half of minHealthyMs (${s.minHealthyMs} ms), or a restart loop can pass the stability window between two polls`,
    );
  }
  const ttl = spec.lock?.ttlMs;
  if (ttl !== undefined && ttl < 3 * s.pollIntervalMs) {
    add('lock.ttlMs', `lock.ttlMs (${ttl} ms) must be at least 3 × pollIntervalMs (${s.pollIntervalMs} ms)`);
  }
  return problems;
}

/**
 * A given `maxUnavailable` ≥ `count` lets every instance be down at once: a full outage, refused
 * unless `allowOutage`. validateSpec checks it when the spec has a count; without one the count is
 * the service's current one, known after observing, so the caller checks `outageProblems(spec,
 * plan.count)` after planning. A default maxUnavailable (1) never counts: for a single instance it is
 * what a replace needs (use maxSurge 1 to keep it serving).
 */
export function outageProblems(spec: RolloutSpec, count: number): SpecProblem[] {
  const max = spec.maxUnavailable;
  if (max === undefined || spec.allowOutage === true || max < count) return [];
  return [
    {
      field: 'maxUnavailable',
      kind: 'invalid',
      message: `maxUnavailable (${max}) ≥ count (${count}) lets every instance be down at once, an outage; lower it (the default 1 keeps ${count - 1} of ${count} serving, maxSurge 1 keeps all ${count}) or set allowOutage`,
    },
  ];
}
