import type { SimCore } from '../sim-core.js';
import { DISCOVERY_DOCUMENT } from './discovery-document.js';
import { listMachines, patchMachines } from './machines-routes.js';
import { type ApiRequest, errorReply, jsonReply, type Reply } from './reply.js';
import { getState, listStates } from './state-routes.js';
import { deleteUnit, getUnit, listUnits, putUnit } from './units-routes.js';

const API_PREFIX = /^\/(?:fleet\/v1|v1-alpha)(\/.*)$/;
const ONLY_GET = 'only GET supported against this resource';

/** Resource path split like fleet's mux: a collection, an item, or neither (404). */
function resource(
  rest: string,
  name: string,
): { kind: 'collection' } | { kind: 'item'; item: string } | { kind: 'none' } | undefined {
  if (rest === `/${name}`) return { kind: 'collection' };
  if (!rest.startsWith(`/${name}/`)) return undefined;
  const item = rest.slice(name.length + 2);
  return item && !item.includes('/') ? { kind: 'item', item } : { kind: 'none' };
}

/** Route a request exactly as fleet v1.0's mux and resources do (fleet-api.md §3). */
export function route(core: SimCore, req: ApiRequest, metrics: () => string): Reply {
  const { path, method } = req;
  if (path === '/' || path === '/fleet/v1' || path === '/v1-alpha') return errorReply(405, '');
  if (path === '/metrics') return { status: 200, body: metrics(), contentType: 'text/plain; version=0.0.4' };
  const m = API_PREFIX.exec(path);
  if (!m) return errorReply(404, '');
  const rest = m[1]!;
  if (rest === '/discovery') {
    return method === 'GET'
      ? jsonReply(200, DISCOVERY_DOCUMENT)
      : errorReply(400, 'only HTTP GET supported against this resource');
  }
  const units = resource(rest, 'units');
  if (units) {
    if (units.kind === 'none') return errorReply(404, '');
    if (units.kind === 'collection')
      return method === 'GET' ? listUnits(core, req) : errorReply(405, ONLY_GET);
    if (method === 'GET') return getUnit(core, units.item);
    if (method === 'PUT') return putUnit(core, units.item, req);
    if (method === 'DELETE') return deleteUnit(core, units.item);
    return errorReply(405, 'only GET, PUT and DELETE supported against this resource');
  }
  const state = resource(rest, 'state');
  if (state) {
    if (state.kind === 'none') return errorReply(404, '');
    if (method !== 'GET') return errorReply(405, ONLY_GET);
    return state.kind === 'collection' ? listStates(core, req) : getState(core, state.item);
  }
  const machines = resource(rest, 'machines');
  if (machines) {
    if (machines.kind !== 'collection') return errorReply(404, '');
    if (method === 'GET') return listMachines(core, req);
    if (method === 'PATCH') return patchMachines(core, req);
    return errorReply(405, 'only GET and PATCH supported against this resource');
  }
  return errorReply(404, '');
}
