/**
 * Waits on one unit. Each poll reads only that unit: `GET /units/{name}` and
 * `GET /state?unitName={name}` — never the whole cluster, so the cost does not grow with it.
 */
import type { Clock, FleetApi, Machine, Unit, UnitOption, UnitState } from '@fleet-service/fleet-client';
import { diagnoseUnschedulable } from './diagnose.js';
import { InstanceFailedError } from './errors.js';
import { emit, type RolloutEvent, type SystemdView } from './events.js';
import { runHealthChecks } from './health-check.js';
import type { HealthCheck, ResolvedSettings } from './spec.js';
import { nextOnGrid, type ProgressClock, type TransitionPace, waitUntil } from './wait.js';

export interface WatchContext {
  api: FleetApi;
  clock: Clock;
  /** Hard cancellation only (not the user's abort: steps in flight are finished). */
  signal?: AbortSignal;
  settings: ResolvedSettings;
  progress: ProgressClock;
  onEvent?: (e: RolloutEvent) => void;
  healthChecks: readonly HealthCheck[];
  /** Live machines, cached per rollout (for health-check addresses). */
  machine: (id: string) => Promise<Machine | undefined>;
  /** Transition times seen so far in this rollout, to poll when the next one is due; none: every interval. */
  pace?: TransitionPace;
  /** Told every `/state?unitName=` answer a wait got (the capacity gate's shared view takes them). */
  seen?: (unit: string, states: readonly UnitState[]) => void;
}

/** `nextAt` for a poll that started at `t` of a wait for `kind` that started at `start`. */
function paced(
  ctx: WatchContext,
  kind: string,
  start: number,
  t: number,
  skipAhead: boolean,
  denseFirst = false,
) {
  const next = ctx.pace?.nextPoll(kind, start, t, ctx.settings.pollIntervalMs, skipAhead, denseFirst);
  return next === undefined ? {} : { nextAt: next };
}

function systemdOf(s: UnitState | undefined): SystemdView | undefined {
  if (!s) return undefined;
  return { load: s.systemdLoadState, active: s.systemdActiveState, sub: s.systemdSubState };
}

function describe(u: Unit | undefined, s?: UnitState): string {
  if (!u) return 'unit absent';
  const parts = [
    `desiredState=${u.desiredState ?? '-'}`,
    `currentState=${u.currentState ?? '-'}`,
    `machine=${u.machineID?.slice(0, 8) ?? 'none'}`,
  ];
  if (s)
    parts.push(
      `systemd=${s.systemdLoadState}/${s.systemdActiveState}/${s.systemdSubState}`,
      `hash=${s.hash?.slice(0, 7) ?? '-'}`,
    );
  return parts.join(' ');
}

/** Emits `state-observed` only when what is seen changes. */
function observer(ctx: WatchContext, unit: string) {
  let last = '';
  return (u: Unit | undefined, s: UnitState | undefined) => {
    const key = describe(u, s);
    if (key === last) return;
    last = key;
    emit(ctx.onEvent, ctx.clock.now(), {
      type: 'state-observed',
      unit,
      ...(u?.desiredState ? { desiredState: u.desiredState } : {}),
      ...(u?.currentState ? { currentState: u.currentState } : {}),
      ...(u?.machineID ? { machineID: u.machineID } : {}),
      ...(s ? { systemd: systemdOf(s), hash: s.hash } : {}),
    });
  };
}

/**
 * Wait until `unit` is running `hash`: currentState launched + machineID (timeouts.launched), then a
 * `/state` entry on that machine with that hash, loaded and active, held for minHealthyMs, and the
 * health checks pass (timeouts.healthy). `failed` or a load state other than `loaded` fails at once.
 */
export async function waitRunning(
  ctx: WatchContext,
  target: { unit: string; index: number; hash: string; options: readonly UnitOption[] },
): Promise<{ machineID: string }> {
  const { api, clock, settings } = ctx;
  const seen = observer(ctx, target.unit);
  const common = {
    clock,
    signal: ctx.signal,
    intervalMs: settings.pollIntervalMs,
    unit: target.unit,
    progress: ctx.progress,
  };

  const launchStart = clock.now();
  const launchedUnit = await waitUntil<Unit>({
    ...common,
    phase: 'launched',
    waitedFor: 'launched on a machine',
    timeoutMs: settings.timeouts.launched,
    poll: async () => {
      const t = clock.now();
      const u = await api.getUnit(target.unit, { signal: ctx.signal });
      seen(u, undefined);
      if (!u)
        throw new InstanceFailedError({
          unit: target.unit,
          diagnosis: 'the unit was destroyed while waiting for it',
        });
      if (u.currentState === 'launched' && u.machineID) {
        ctx.pace?.record('launched', clock.now() - launchStart);
        return { done: true, value: u };
      }
      return { done: false, seen: describe(u), ...paced(ctx, 'launched', launchStart, t, true) };
    },
    diagnose: async () => diagnoseUnschedulable(api, target.unit, target.options, ctx.signal),
  });

  let healthySince: number | undefined;
  /** When /state last showed the unit active (the stability window needs unbroken observation). */
  let activeSeenAt: number | undefined;
  const maxGap = maxObservationGapMs(settings.pollIntervalMs);
  const healthyStart = clock.now();
  let activeRecorded = false;
  /** The last health-check failure of this wait, repeated in later observations (a timeout names it). */
  let lastCheckFailure = '';
  /** Before the unit is first seen active: poll densely when that is due (never skipping: `failed` must show at once). */
  let pace = (t: number) => paced(ctx, 'active', healthyStart, t, false, true);
  /**
   * The unit as last read, while `/state` keeps confirming it (active, the hash, on its machine):
   * then it is not read again (a move, a stop or a destroy shows in `/state` first, and the next
   * poll reads the unit again). Starts as the launched wait's last read.
   */
  let known: Unit | undefined = launchedUnit;
  return waitUntil<{ machineID: string }>({
    ...common,
    phase: 'healthy',
    waitedFor: `active with hash ${target.hash.slice(0, 7)} for ${settings.minHealthyMs} ms${ctx.healthChecks.length ? ' and healthy' : ''}`,
    timeoutMs: settings.timeouts.healthy,
    poll: async () => {
      const t = clock.now();
      const u = known ?? (await api.getUnit(target.unit, { signal: ctx.signal }));
      known = undefined;
      if (!u)
        throw new InstanceFailedError({
          unit: target.unit,
          diagnosis: 'the unit was destroyed while waiting for it',
        });
      if (u.currentState !== 'launched' || !u.machineID) {
        seen(u, undefined);
        healthySince = undefined;
        return { done: false, seen: describe(u), ...pace(t) };
      }
      const states = await api.listUnitStates({ unitName: target.unit }, { signal: ctx.signal });
      ctx.seen?.(target.unit, states);
      const s = states.find((x) => x.machineID === u.machineID);
      seen(u, s);
      if (!s || s.hash !== target.hash) {
        healthySince = undefined;
        return {
          done: false,
          seen: `${describe(u, s)}${s ? '' : ' (no /state entry on that machine yet)'}`,
          ...pace(t),
        };
      }
      const fail = (diagnosis: string): never => {
        emit(ctx.onEvent, clock.now(), {
          type: 'instance-failed',
          unit: target.unit,
          index: target.index,
          diagnosis,
          ...(s ? { systemd: systemdOf(s) } : {}),
          machineID: u.machineID,
        });
        throw new InstanceFailedError({
          unit: target.unit,
          diagnosis,
          ...(u.machineID ? { machineID: u.machineID } : {}),
        });
      };
      if (s.systemdLoadState !== undefined && s.systemdLoadState !== 'loaded') {
        fail(`systemd load state is ${s.systemdLoadState} on ${u.machineID.slice(0, 8)} (expected loaded)`);
      }
      if (s.systemdActiveState === 'failed') {
        fail(
          `systemd reports ${s.systemdActiveState}/${s.systemdSubState ?? '?'} on ${u.machineID.slice(0, 8)}`,
        );
      }
      if (s.systemdActiveState !== 'active') {
        healthySince = undefined;
        activeSeenAt = undefined;
        return { done: false, seen: describe(u, s), ...pace(t) };
      }
      const now = clock.now();
      if (!activeRecorded) {
        activeRecorded = true;
        ctx.pace?.record('active', now - healthyStart);
        // from now on: one interval apart, and a read right when the window is due to end
        pace = (at) => {
          const due = (healthySince ?? at) + settings.minHealthyMs;
          return {
            nextAt:
              due > at
                ? Math.min(nextOnGrid(at, settings.pollIntervalMs), due)
                : nextOnGrid(at, settings.pollIntervalMs),
          };
        };
      }
      // A flap (down, auto-restart, up again) between two reads is invisible: the window only
      // grows across reads at most one poll interval apart (slow or failed requests restart it).
      let restarted = '';
      if (healthySince !== undefined && activeSeenAt !== undefined && now - activeSeenAt > maxGap) {
        restarted = ` (window restarted: ${now - activeSeenAt} ms without an observation)`;
        healthySince = undefined;
      }
      activeSeenAt = now;
      healthySince ??= now;
      known = u;
      if (now - healthySince < settings.minHealthyMs) {
        return {
          done: false,
          seen: `${describe(u, s)} (active for ${now - healthySince} of ${settings.minHealthyMs} ms)${restarted}${lastCheckFailure}`,
          ...pace(t),
        };
      }
      if (ctx.healthChecks.length > 0) {
        const machine = await ctx.machine(u.machineID);
        const failure = await runHealthChecks(
          ctx.healthChecks,
          { unit: target.unit, index: target.index, ...(machine ? { machine } : {}) },
          ctx.signal,
        );
        if (failure) {
          lastCheckFailure = `; last health check: ${failure}`;
          return { done: false, seen: `${describe(u, s)}; ${failure}` };
        }
      }
      emit(ctx.onEvent, clock.now(), {
        type: 'instance-healthy',
        unit: target.unit,
        index: target.index,
        machineID: u.machineID,
      });
      return { done: true, value: { machineID: u.machineID } };
    },
  });
}

/**
 * The longest gap between two `/state` reads the stability window may span: one poll interval plus
 * a little for request latency and timer lateness (10 %, at least 25 ms, at most 100 ms). Longer,
 * and a down period could hide in it. (Two intervals were tried: a flapping instance then passed
 * the window between slow reads — see the regression replays in test/rollout.) The 25 ms floor only
 * matters for the very short intervals of tests and demos (a 20 ms interval on a busy machine).
 */
export function maxObservationGapMs(pollIntervalMs: number): number {
  return pollIntervalMs + Math.min(100, Math.max(25, Math.ceil(pollIntervalMs / 10)));
}

/** Wait until fleet's `/state` has no entry for `unit` (after destroy or unload). */
export async function waitGone(ctx: WatchContext, unit: string): Promise<void> {
  const seen = observer(ctx, unit);
  const start = ctx.clock.now();
  await waitUntil<void>({
    clock: ctx.clock,
    signal: ctx.signal,
    intervalMs: ctx.settings.pollIntervalMs,
    unit,
    progress: ctx.progress,
    phase: 'gone',
    waitedFor: 'gone from /state',
    timeoutMs: ctx.settings.timeouts.gone,
    poll: async () => {
      const t = ctx.clock.now();
      const states = await ctx.api.listUnitStates({ unitName: unit }, { signal: ctx.signal });
      ctx.seen?.(unit, states);
      if (states.length === 0) {
        ctx.pace?.record('gone', ctx.clock.now() - start);
        return { done: true, value: undefined };
      }
      seen(undefined, states[0]);
      return {
        done: false,
        ...paced(ctx, 'gone', start, t, true),
        seen: states
          .map(
            (s) =>
              `${s.machineID?.slice(0, 8)}: ${s.systemdActiveState}/${s.systemdSubState} hash=${s.hash?.slice(0, 7)}`,
          )
          .join(', '),
      };
    },
  });
}

/** In-place replace: wait until the old contents (`oldHash`) are no longer active anywhere. */
export async function waitStopped(ctx: WatchContext, unit: string, oldHash: string): Promise<void> {
  const start = ctx.clock.now();
  await waitUntil<void>({
    clock: ctx.clock,
    signal: ctx.signal,
    intervalMs: ctx.settings.pollIntervalMs,
    unit,
    progress: ctx.progress,
    phase: 'stop',
    waitedFor: `stopped (hash ${oldHash.slice(0, 7)} no longer active)`,
    timeoutMs: ctx.settings.timeouts.stop,
    poll: async () => {
      const t = ctx.clock.now();
      const states = await ctx.api.listUnitStates({ unitName: unit }, { signal: ctx.signal });
      const old = states.find(
        (s) => s.hash === oldHash && s.systemdActiveState !== 'inactive' && s.systemdActiveState !== 'failed',
      );
      if (!old) {
        ctx.pace?.record('stop', ctx.clock.now() - start);
        return { done: true, value: undefined };
      }
      return {
        done: false,
        ...paced(ctx, 'stop', start, t, true),
        seen: `hash ${oldHash.slice(0, 7)} still ${old.systemdActiveState}/${old.systemdSubState}`,
      };
    },
  });
}
