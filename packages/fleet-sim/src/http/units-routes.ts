import {
  goQuoteString,
  isJobState,
  parseUnitName,
  unitHash,
  validateUnitName,
  validateUnitOptions,
} from '@fleet-service/fleet-client';
import { isPoisoned } from '../model/cluster-state.js';
import { unitJson } from '../model/wire-json.js';
import type { SimCore } from '../sim-core.js';
import { listPage } from './list-page.js';
import { type ApiRequest, emptyReply, errorReply, jsonReply, type Reply } from './reply.js';
import { decodeUnitBody, type UnitBody } from './request-bodies.js';

/** `GET /units`: sorted by name, poisoned units left out, currentState for every unit (§4.1). */
export function listUnits(core: SimCore, req: ApiRequest): Reply {
  return listPage(
    req,
    core.options.tokenLimit,
    () => core.cluster.visibleUnits(),
    (items, next) => {
      const parts: string[] = [];
      if (next) parts.push(`"nextPageToken":"${next}"`);
      if (items.length > 0) {
        const units = items.map((u) =>
          unitJson(u.name, core.cluster.currentState(u), u.desiredState, u.target, u.optionsJson),
        );
        parts.push(`"units":[${units.join(',')}]`);
      }
      return `{${parts.join(',')}}`;
    },
  );
}

/** `GET /units/{name}`: no currentState or machineID for global units (§4.2, §9.2). */
export function getUnit(core: SimCore, name: string): Reply {
  const u = core.cluster.units.get(name);
  if (!u) return errorReply(404, 'unit does not exist');
  if (isPoisoned(u)) return errorReply(500, '');
  const current = u.reqs.global ? undefined : core.cluster.currentState(u);
  return jsonReply(200, unitJson(u.name, current, u.desiredState, u.target, u.optionsJson));
}

/** `DELETE /units/{name}`: 204, 404, or 500 for a poisoned unit (DELETE reads it first). */
export function deleteUnit(core: SimCore, name: string): Reply {
  const u = core.cluster.units.get(name);
  if (!u) return errorReply(404, 'unit does not exist');
  if (isPoisoned(u)) return errorReply(500, '');
  core.destroyUnit(name);
  return emptyReply(204);
}

/** Content-Type must be one `application/json` header (parameters allowed), else 415. */
function contentTypeProblem(req: ApiRequest): string | undefined {
  const values: string[] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]!.toLowerCase() === 'content-type') values.push(req.rawHeaders[i + 1]!);
  }
  if (values.length !== 1) return `expected 1 Content-Type, got ${values.length}`;
  const media = values[0]!.split(';')[0]!.trim();
  return media === 'application/json' ? undefined : 'only acceptable Content-Type is application/json';
}

/** `PUT /units/{name}`: fleet-api.md §6, step by step. */
export function putUnit(core: SimCore, urlName: string, req: ApiRequest): Reply {
  const ct = contentTypeProblem(req);
  if (ct) return errorReply(415, ct);
  let body: UnitBody;
  try {
    body = decodeUnitBody(req.body);
  } catch (error) {
    return errorReply(400, `unable to decode body: ${(error as Error).message}`);
  }
  const name = body.name || urlName;
  if (name !== urlName) {
    return errorReply(
      400,
      `name in URL ${goQuoteString(urlName)} differs from unit name in request body ${goQuoteString(name)}`,
    );
  }
  const nameProblem = validateUnitName(name);
  if (nameProblem) return errorReply(400, nameProblem);

  const existing = core.cluster.units.get(name);
  if (existing && isPoisoned(existing)) return errorReply(500, '');
  const options = body.options ?? [];
  if (!existing) {
    if (options.length === 0) return errorReply(409, 'unit does not exist and options field empty');
    const problems = validateUnitOptions(options);
    if (problems.length > 0) return errorReply(400, problems[0]!.message);
    return create(core, name, body);
  }
  if (options.length > 0 && unitHash(options) !== existing.hash) return create(core, name, body);

  if (!body.desiredState) return errorReply(409, 'must provide DesiredState to update existing unit');
  if (parseUnitName(name).isTemplate && body.desiredState !== 'inactive') {
    return errorReply(400, `cannot activate template ${goQuoteString(name)}`);
  }
  if (!isJobState(body.desiredState) && core.options.bugs === 'intended') {
    return errorReply(400, `invalid desiredState ${goQuoteString(body.desiredState)}`);
  }
  core.writeDesiredState(name, body.desiredState);
  return emptyReply(204);
}

/** Create/replace (step 9): desiredState defaults to inactive; an invalid one is a 500 with nothing written. */
function create(core: SimCore, name: string, body: UnitBody): Reply {
  const desired = body.desiredState || 'inactive';
  if (!isJobState(desired)) return errorReply(500, '');
  core.writeUnit(name, body.options ?? [], desired);
  return emptyReply(201);
}
