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
 * the option's dotted name. Relations checked: maxUnavailable + maxSurge ≥ 1; minHealthyMs < timeouts.healthy;
 * every timeout ≤ progressDeadlineMs; pollIntervalMs < every timeout; pollIntervalMs ≤ minHealthyMs / 2
 * (when minHealthyMs > 0); lock.ttlMs ≥ 3 × pollIntervalMs.
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
    if (isGlobalUnitFile(spec.unitFile)) {
      add(
        'unitFile',
        'Global=true units are not supported by fs rolling updates (they run on every machine; use fleetctl)',
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
  int('maxUnavailable', spec.maxUnavailable, 0);
  int('maxSurge', spec.maxSurge, 0);
  int('maxParallel', spec.maxParallel, 1);
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
  if (spec.replaceMode !== undefined && !['recreate', 'in-place'].includes(spec.replaceMode)) {
    add('replaceMode', `replaceMode must be recreate or in-place, got ${JSON.stringify(spec.replaceMode)}`);
  }
  if (spec.lock?.ttlMs !== undefined) positiveMs('lock.ttlMs', spec.lock.ttlMs);
  if (spec.lock?.settleMs !== undefined) positiveMs('lock.settleMs', spec.lock.settleMs, 0);

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
  if (s.maxUnavailable + s.maxSurge < 1) {
    add('maxUnavailable', 'maxUnavailable and maxSurge are both 0: no instance could ever be replaced');
  }
  if (s.minHealthyMs >= s.timeouts.healthy) {
    add(
      'minHealthyMs',
      `minHealthyMs (${s.minHealthyMs}) must be less than timeouts.healthy (${s.timeouts.healthy})`,
    );
  }
  for (const [key, value] of Object.entries(s.timeouts)) {
    if (value > s.progressDeadlineMs) {
      add(
        `timeouts.${key}`,
        `timeouts.${key} (${value}) must not exceed progressDeadlineMs (${s.progressDeadlineMs})`,
      );
    }
    if (s.pollIntervalMs >= value) {
      add(
        'pollIntervalMs',
        `pollIntervalMs (${s.pollIntervalMs}) must be less than timeouts.${key} (${value})`,
      );
    }
  }
  if (s.minHealthyMs > 0 && s.pollIntervalMs * 2 > s.minHealthyMs) {
    add(
      'pollIntervalMs',
      `pollIntervalMs (${s.pollIntervalMs}) must be at most half of minHealthyMs (${s.minHealthyMs}), or a restart loop can pass the stability window between two polls`,
    );
  }
  const ttl = spec.lock?.ttlMs;
  if (ttl !== undefined && ttl < 3 * s.pollIntervalMs) {
    add('lock.ttlMs', `lock.ttlMs (${ttl}) must be at least 3 × pollIntervalMs (${s.pollIntervalMs})`);
  }
  return problems;
}
