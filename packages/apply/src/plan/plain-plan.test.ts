import type { Unit } from '@fleet-service/fleet-client';
import { recordUnitName, resolveSettings } from '@fleet-service/rollout';
import { describe, expect, it } from 'vitest';
import { planPlainUnit } from './plain-plan.js';

const v1 = [{ section: 'Service', name: 'ExecStart', value: '/bin/one' }];
const v2 = [{ section: 'Service', name: 'ExecStart', value: '/bin/two' }];
const settings = resolveSettings({ service: 'x', unitFile: v1 });
const unit = (options = v1, desiredState: Unit['desiredState'] = 'launched'): Unit => ({
  name: 'x.timer',
  options,
  desiredState,
});
const steps = (p: ReturnType<typeof planPlainUnit>) =>
  p.steps.map((s) => `${s.batch} ${s.action} ${s.unit} ${s.desiredState ?? ''}`.trim());

describe('planPlainUnit', () => {
  it('creates a missing unit in its desiredState', () => {
    expect(
      steps(
        planPlainUnit(
          { service: 'x.timer', name: 'x.timer', unitFile: v1, desiredState: 'loaded' },
          undefined,
          settings,
        ),
      ),
    ).toEqual(['1 create x.timer loaded']);
  });
  it('destroys then creates a unit whose contents differ; sets only the state when that is all', () => {
    expect(
      steps(planPlainUnit({ service: 'x.timer', name: 'x.timer', unitFile: v2 }, unit(), settings)),
    ).toEqual(['1 destroy x.timer', '2 create x.timer launched']);
    expect(
      steps(
        planPlainUnit(
          { service: 'x.timer', name: 'x.timer', unitFile: v1, desiredState: 'inactive' },
          unit(),
          settings,
        ),
      ),
    ).toEqual(['1 create x.timer inactive']);
  });
  it('has nothing to do for a unit as wanted, and never rolls back', () => {
    const p = planPlainUnit({ service: 'x.timer', name: 'x.timer', unitFile: v1 }, unit(), settings);
    expect(p.steps).toEqual([]);
    expect(p.unchanged).toEqual(['x.timer']);
    expect(p.settings.onFailure).toBe('abort');
  });
  it('removes a unit and fs’s record', () => {
    expect(
      steps(planPlainUnit({ service: 'x.timer', name: 'x.timer' }, unit(), settings, { removeRecord: true })),
    ).toEqual(['1 destroy x.timer', `2 destroy ${recordUnitName('x.timer')}`]);
  });
});
