import type { StateRecord } from '../model/cluster-state.js';
import type { SimCore } from '../sim-core.js';
import { listPage } from './list-page.js';
import { type ApiRequest, errorReply, jsonReply, PANIC, type Reply } from './reply.js';

/** `GET /state`: sorted by (name, machineID); exact filters applied before pagination (§4.5). */
export function listStates(core: SimCore, req: ApiRequest): Reply {
  const unitName = req.query.get('unitName') ?? '';
  const machineID = req.query.get('machineID') ?? '';
  const filtered = (): readonly StateRecord[] => {
    const states = unitName ? core.cluster.statesOf(unitName) : core.cluster.sortedStates();
    return machineID ? states.filter((s) => s.machineID === machineID) : states;
  };
  return listPage(req, core.options.tokenLimit, filtered, (items, next) => {
    const parts: string[] = [];
    if (next) parts.push(`"nextPageToken":"${next}"`);
    if (items.length > 0) parts.push(`"states":[${items.map((s) => s.json).join(',')}]`);
    return `{${parts.join(',')}}`;
  });
}

/**
 * `GET /state/{name}`: the first state of that unit, a single object. With no state real fleetd
 * panics and closes the connection (§4.6): 'faithful' does the same, 'intended' answers 404.
 */
export function getState(core: SimCore, name: string): Reply {
  const first = core.cluster.statesOf(name)[0];
  if (first) return jsonReply(200, first.json);
  return core.options.bugs === 'faithful' ? PANIC : errorReply(404, 'unit state does not exist');
}
