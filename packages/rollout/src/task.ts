/**
 * One-off tasks (deployster's `POST …/tasks`: a database migration from the service's image at a
 * given version): the task's unit `S-task-<id>.service` is created as a oneshot (`Type=oneshot`,
 * `RemainAfterExit=yes`, so its success stays visible as `active/exited`) on one machine, waited
 * for until it succeeds (exit 0), fails (`failed`: fleet does not report the exit status, so 1), or
 * reaches its timeout (destroyed, exit 124 as deployster said), and destroyed afterwards in every
 * case — also when the caller aborts. Progress comes as lines (scheduling, systemd states); fleet's
 * API carries no logs, so the lines name the machine and unit to read them with journalctl.
 */
import type { Clock, FleetApi, UnitOption } from '@fleet-service/fleet-client';
import { systemClock } from '@fleet-service/fleet-client';
import { normalizeUnitOptions } from './fleet-helpers.js';

/** Exit status of a task that ran out of time (deployster's, after `timeout`'s). */
export const TASK_TIMEOUT_EXIT = 124;

export interface TaskSpec {
  /** The service S: the unit is `S-task-<id>.service`. */
  service: string;
  /** Unique per task: letters, digits, `_` and `.` (e.g. 8 hex digits). */
  id: string;
  /** The task's unit file (rendered from the service's task template). */
  unitFile: UnitOption[];
  /** Until the task counts as hung: destroyed, exit 124. @default 600_000 (10 min, deployster's) */
  timeoutMs?: number;
  /** Between reads of the unit's state. @default 1_000 */
  pollIntervalMs?: number;
}

export interface TaskDeps {
  api: FleetApi;
  /** @default systemClock */
  clock?: Clock;
  /** Stop waiting: the unit is destroyed, the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** One line per change (no trailing newline). */
  onProgress?: (line: string) => void;
}

export interface TaskResult {
  unit: string;
  /** 0 succeeded, 1 failed (fleet reports no exit status), 124 timed out. */
  exitCode: number;
  /** How it ended. */
  state: 'succeeded' | 'failed' | 'timed-out';
  machineID?: string;
  durationMs: number;
}

/** Longest command accepted. */
export const MAX_TASK_COMMAND = 4_096;

/** Why `command` cannot be a task's command (`undefined`: it can). */
export function taskCommandProblem(command: unknown): string | undefined {
  if (typeof command !== 'string' || command.trim() === '' || command.length > MAX_TASK_COMMAND)
    return `command must be a non-empty string of at most ${MAX_TASK_COMMAND} characters`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(command))
    return 'command must be one line without control characters (a newline would add options to the unit file)';
  return undefined;
}

/**
 * A task template's text with `{{command}}` replaced (systemd's `%` specifiers escaped so the
 * command runs as written). Check the command with taskCommandProblem first.
 */
export function withTaskCommand(text: string, command: string): string {
  return text.replaceAll('{{command}}', () => command.replaceAll('%', '%%'));
}

/** The task's unit name. */
export const taskUnitName = (service: string, id: string) => `${service}-task-${id}.service`;

/** The unit file as a oneshot whose success stays visible (`active/exited`). */
export function asOneshot(options: readonly UnitOption[]): UnitOption[] {
  return normalizeUnitOptions([
    ...options.filter(
      (o) => !(o.section === 'Service' && (o.name === 'Type' || o.name === 'RemainAfterExit')),
    ),
    { section: 'Service', name: 'Type', value: 'oneshot' },
    { section: 'Service', name: 'RemainAfterExit', value: 'yes' },
  ]);
}

/** Run the task to its end; the unit never outlives the call. */
export async function runTask(spec: TaskSpec, deps: TaskDeps): Promise<TaskResult> {
  const clock = deps.clock ?? systemClock;
  const started = clock.now();
  const unit = taskUnitName(spec.service, spec.id);
  const deadline = started + (spec.timeoutMs ?? 600_000);
  const poll = spec.pollIntervalMs ?? 1_000;
  const say = (line: string) => deps.onProgress?.(line);
  const signal = deps.signal;
  let machineID: string | undefined;
  const end = (state: TaskResult['state'], exitCode: number): TaskResult => ({
    unit,
    exitCode,
    state,
    ...(machineID ? { machineID } : {}),
    durationMs: clock.now() - started,
  });
  try {
    await deps.api.createUnit(
      { name: unit, options: asOneshot(spec.unitFile), desiredState: 'launched' },
      { signal },
    );
    say(`${unit}: created`);
    let last = '';
    let seenRunning = false;
    for (;;) {
      signal?.throwIfAborted();
      if (clock.now() >= deadline) {
        say(`${unit}: still running after ${Math.round((spec.timeoutMs ?? 600_000) / 1000)} s: destroyed`);
        return end('timed-out', TASK_TIMEOUT_EXIT);
      }
      const u = await deps.api.getUnit(unit, { signal });
      if (u?.machineID && u.machineID !== machineID) {
        machineID = u.machineID;
        const machine = (await deps.api.listMachines({ signal }).catch(() => [])).find(
          (m) => m.id === machineID,
        );
        say(
          `${unit}: scheduled on machine ${machineID}${machine?.primaryIP ? ` (${machine.primaryIP})` : ''}`,
        );
        say(
          `fleet's API carries no logs: read them there with journalctl -u ${unit} (fleetctl journal ${unit}) before it is destroyed`,
        );
      }
      const state = machineID
        ? (await deps.api.listUnitStates({ unitName: unit }, { signal })).find(
            (s) => s.machineID === machineID,
          )
        : undefined;
      const now = state ? `${state.systemdActiveState}/${state.systemdSubState}` : '';
      if (now && now !== last) {
        say(`${unit}: ${now}`);
        last = now;
      }
      if (state?.systemdActiveState === 'activating' || state?.systemdActiveState === 'active')
        seenRunning = true;
      if (state?.systemdActiveState === 'active' && state.systemdSubState === 'exited')
        return end('succeeded', 0);
      if (state?.systemdActiveState === 'failed') return end('failed', 1);
      if (seenRunning && state?.systemdActiveState === 'inactive') return end('succeeded', 0);
      await clock.sleep(Math.min(poll, Math.max(1, deadline - clock.now())), signal);
    }
  } finally {
    await deps.api.destroyUnit(unit, { ignoreNotFound: true }).catch(() => {});
    say(`${unit}: destroyed`);
  }
}
