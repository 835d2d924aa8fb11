import { machineJson } from '../model/wire-json.js';
import type { SimCore } from '../sim-core.js';
import { listPage } from './list-page.js';
import { type ApiRequest, emptyReply, errorReply, JSON_TYPE, type Reply } from './reply.js';
import { decodeMetadataOps, type MetadataOpBody } from './request-bodies.js';

const METADATA_PATH = /^\/([^/]+)\/metadata\/([A-Za-z0-9_.-]+)$/;

/** `GET /machines`: live machines sorted by id (§4.7). */
export function listMachines(core: SimCore, req: ApiRequest): Reply {
  return listPage(
    req,
    core.options.tokenLimit,
    () => core.cluster.registeredMachines(),
    (items, next) => {
      const parts: string[] = [];
      if (items.length > 0) {
        const machines = items.map((m) =>
          machineJson(m.id, core.cluster.effectiveMetadata(m.id), m.primaryIP),
        );
        parts.push(`"machines":[${machines.join(',')}]`);
      }
      if (next) parts.push(`"nextPageToken":"${next}"`);
      return `{${parts.join(',')}}`;
    },
  );
}

/** `PATCH /machines`: every op validated before any is applied; 204 with Content-Type (§4.8). */
export function patchMachines(core: SimCore, req: ApiRequest): Reply {
  let ops: MetadataOpBody[];
  try {
    ops = decodeMetadataOps(req.body);
  } catch (error) {
    return errorReply(400, (error as Error).message);
  }
  for (const op of ops) {
    if (op.op !== 'add' && op.op !== 'remove' && op.op !== 'replace') {
      return errorReply(400, 'invalid op: expect add, remove, or replace');
    }
    if (!METADATA_PATH.test(op.path)) return errorReply(400, 'machine metadata path invalid');
    if (op.op !== 'remove' && op.value.length === 0) {
      return errorReply(400, 'invalid value: add and replace require a value');
    }
  }
  for (const op of ops) {
    const [, machineID, key] = METADATA_PATH.exec(op.path)!;
    core.setMetadata(machineID!, key!, op.op === 'remove' ? '' : op.value);
  }
  return emptyReply(204, JSON_TYPE);
}
