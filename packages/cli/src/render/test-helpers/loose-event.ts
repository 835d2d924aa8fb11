// Events for render tests, written with only the fields a test is about.
import type { RolloutEvent } from '@fleet-service/rollout';

/** An event as a test writes it: its type and the fields the test is about. */
export type LooseEvent = { type: string; time?: number } & Record<string, unknown>;

/**
 * The event as the renderers receive it (`time` 0 unless given). Also stands for what a newer
 * engine may send: event types and fields this version does not know.
 */
export function looseEvent(fields: LooseEvent): RolloutEvent {
  return { time: 0, ...fields } as unknown as RolloutEvent;
}
