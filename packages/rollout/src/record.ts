/**
 * The rollout record `S.fs-record.service`: an inactive unit (never scheduled) whose options hold
 * the previous contents, so rollback works even after the process died. Format:
 *
 *   [Unit]        Description=fs rollout record for S (do not start)
 *   [X-Fs-Record] Status, Updated, Owner, TargetHash, TargetCount, PreviousHash, PreviousCount,
 *                 PreviousOption={"section":…,"name":…,"value":…}  (one per option, in order),
 *                 TargetOption=… (the same, for a canary: what `promoteService` rolls out)
 */

import type { FleetApi, Unit, UnitOption } from '@fleet-service/fleet-client';
import { createConfirmed } from './confirmed-write.js';
import { RECORD_SECTION, recordUnitName } from './reserved-units.js';
import type { RolloutRecord } from './snapshot.js';

export function recordToOptions(service: string, record: RolloutRecord): UnitOption[] {
  const o = (name: string, value: string | number): UnitOption => ({
    section: RECORD_SECTION,
    name,
    value: String(value),
  });
  const out: UnitOption[] = [
    { section: 'Unit', name: 'Description', value: `fs rollout record for ${service} (do not start)` },
    o('Status', record.status),
    o('Updated', record.updated),
    o('TargetHash', record.target.hash),
    o('TargetCount', record.target.count),
  ];
  if (record.owner) out.push(o('Owner', record.owner));
  if (record.previous) {
    out.push(o('PreviousHash', record.previous.hash), o('PreviousCount', record.previous.count));
    for (const opt of record.previous.options)
      out.push(o('PreviousOption', JSON.stringify([opt.section, opt.name, opt.value])));
  }
  for (const opt of record.target.options ?? [])
    out.push(o('TargetOption', JSON.stringify([opt.section, opt.name, opt.value])));
  return out;
}

const STATUSES = new Set<RolloutRecord['status']>([
  'in-progress',
  'canary',
  'succeeded',
  'paused',
  'aborted',
  'failed',
  'rolled-back',
  'rollback-failed',
]);

/**
 * The contents the recorded rollout was taking the service to: the target, except after an
 * automatic rollback (`rolled-back`, `rollback-failed`), when it was taking it back to `previous`
 * ('' when a new service was torn down).
 */
export function rolledTo(record: RolloutRecord): { hash: string; count: number } {
  if (record.status !== 'rolled-back' && record.status !== 'rollback-failed') return record.target;
  return record.previous
    ? { hash: record.previous.hash, count: record.previous.count }
    : { hash: '', count: 0 };
}

/** Read a record unit; `undefined` when absent or unreadable (a damaged record is ignored, not trusted). */
export function parseRecord(unit: Unit | undefined): RolloutRecord | undefined {
  if (!unit?.options) return undefined;
  const get = (name: string) =>
    unit.options?.find((x) => x.section === RECORD_SECTION && x.name === name)?.value;
  const status = get('Status') as RolloutRecord['status'] | undefined;
  const targetHash = get('TargetHash');
  if (!status || !STATUSES.has(status) || !targetHash) return undefined;
  const record: RolloutRecord = {
    status,
    updated: Number(get('Updated') ?? 0),
    target: { hash: targetHash, count: Number(get('TargetCount') ?? 0) },
  };
  const owner = get('Owner');
  if (owner) record.owner = owner;
  const targetOptions = optionsNamed(unit.options, 'TargetOption');
  if (!targetOptions) return undefined;
  if (targetOptions.length > 0) record.target.options = targetOptions;
  const previousHash = get('PreviousHash');
  if (previousHash) {
    const options = optionsNamed(unit.options, 'PreviousOption');
    if (!options) return undefined;
    record.previous = { hash: previousHash, count: Number(get('PreviousCount') ?? 0), options };
  }
  return record;
}

/** The unit options kept as `name=` lines of the record; `undefined` when one is damaged. */
function optionsNamed(lines: readonly UnitOption[], name: string): UnitOption[] | undefined {
  const options: UnitOption[] = [];
  for (const x of lines) {
    if (x.section !== RECORD_SECTION || x.name !== name) continue;
    try {
      const [section, optName, value] = JSON.parse(x.value) as [string, string, string];
      options.push({ section, name: optName, value });
    } catch {
      return undefined;
    }
  }
  return options;
}

export async function readRecord(
  api: FleetApi,
  service: string,
  signal?: AbortSignal,
): Promise<RolloutRecord | undefined> {
  return parseRecord(await api.getUnit(recordUnitName(service), { signal }));
}

/** Write (create or overwrite) the record; it stays `inactive`. */
export async function writeRecord(
  api: FleetApi,
  service: string,
  record: RolloutRecord,
  signal?: AbortSignal,
): Promise<void> {
  await createConfirmed(
    api,
    { name: recordUnitName(service), options: recordToOptions(service, record), desiredState: 'inactive' },
    { signal },
  );
}
