import { type FleetClientOptions, resolveClientOptions } from './client-options.js';
import type { FleetEndpoint } from './endpoint.js';
import type {
  CallOptions,
  CreateUnitRequest,
  CreateUnitResult,
  DestroyUnitOptions,
  FleetApi,
  MachineMetadataChange,
  UnitStateFilter,
} from './fleet-api.js';
import {
  type DecodedPage,
  decodeMachinePage,
  decodeUnit,
  decodeUnitPage,
  decodeUnitStatePage,
} from './http-decode.js';
import { checkCreateUnit, checkDesiredState } from './http-local-checks.js';
import {
  badResponse,
  errorFromResponse,
  looksLikeFleet,
  parseFleetErrorBody,
} from './http-response-errors.js';
import { parseServerVersion } from './http-server-version.js';
import { dedupeBy, type FetchedPage, machineKey, unitKey, unitStateKey, walkPages } from './pagination.js';
import { FleetTransport, type TransportRequest, type TransportResponse } from './transport.js';
import type { JobState, Machine, MetadataOp, Unit, UnitState } from './types.js';

/** A FleetApi over HTTP, plus what only a real connection has: its endpoint and `close()`. */
export interface FleetClient extends FleetApi {
  /** The parsed endpoint the client talks to. */
  readonly endpoint: FleetEndpoint;
  /** Closes the client's own connections (an `agent` passed in is left to its owner); the client cannot be used afterwards. */
  close(): void;
}

/** Can fleet's mux route `/units/<name>` to the unit resource? Not with a `/`, nor as a dot segment. */
function isRoutableName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/');
}

const WRONG_ROUTE_NOTE = 'fleet has no such API path: check the endpoint’s path prefix';

/**
 * A fleet 404 on `/units/<name>` that is not about the unit: fleet's unit resource says
 * `unit does not exist`; its mux answers paths it does not know with an empty message. For a
 * name fleet can route, that means the endpoint's base path is wrong, and reading it as "absent"
 * would hide that for every unit.
 */
function isWrongRoute(response: TransportResponse, name: string): boolean {
  return parseFleetErrorBody(response.body)?.message === '' && isRoutableName(name);
}

function expectStatus(response: TransportResponse, expected: readonly number[], unitName?: string): void {
  if (expected.includes(response.status)) return;
  if (response.status >= 200 && response.status < 300) {
    throw badResponse(response, `expected status ${expected.join(' or ')}`, { unitName });
  }
  throw errorFromResponse(response, { unitName });
}

/**
 * The fleet v1 HTTP client (fleet-api.md). Implements FleetApi with fleet's quirks handled:
 * `{}` pages, omitted fields, 201 vs 204, `=`-padded page tokens percent-encoded, filters resent
 * with every page, deduplication across pages, never `GET /state/{name}`, only
 * `inactive | loaded | launched` sent as desiredState.
 */
export class HttpFleetApi implements FleetClient {
  readonly endpoint: FleetEndpoint;
  readonly #transport: FleetTransport;
  #version: { value: string | undefined } | undefined;

  /** @throws InvalidClientOptionsError, InvalidEndpointError when an option is invalid. */
  constructor(options: FleetClientOptions = {}) {
    this.#transport = new FleetTransport(resolveClientOptions(options));
    this.endpoint = this.#transport.endpoint;
  }

  close(): void {
    this.#transport.close();
  }

  async #send(request: TransportRequest): Promise<TransportResponse> {
    const response = await this.#transport.request(request);
    // Only fleetd's own header counts: a proxy's answer (a 502 while fleetd is down) must not pin
    // the version to `undefined` for the client's lifetime.
    if (this.#version === undefined) {
      const version = parseServerVersion(response.headers.server);
      if (version !== undefined) this.#version = { value: version };
    }
    return response;
  }

  #pageFetcher<T>(
    resource: string,
    decode: (response: TransportResponse) => DecodedPage<T>,
    filters: ReadonlyArray<readonly [string, string]>,
    signal: AbortSignal | undefined,
  ): (token: string | undefined) => Promise<FetchedPage<T>> {
    return async (token) => {
      const query = token === undefined ? filters : [...filters, ['nextPageToken', token] as const];
      const response = await this.#send({
        method: 'GET',
        segments: [resource],
        query,
        retry: 'idempotent',
        signal,
      });
      expectStatus(response, [200]);
      return { ...decode(response), response };
    };
  }

  async *iterateUnits(options: CallOptions = {}): AsyncGenerator<Unit, void, undefined> {
    const keep = dedupeBy(unitKey);
    const fetch = this.#pageFetcher('units', decodeUnitPage, [], options.signal);
    for await (const page of walkPages(fetch)) {
      for (const unit of page) if (keep(unit)) yield unit;
    }
  }

  async listUnits(options: CallOptions = {}): Promise<Unit[]> {
    const units: Unit[] = [];
    for await (const unit of this.iterateUnits(options)) units.push(unit);
    return units;
  }

  async getUnit(name: string, options: CallOptions = {}): Promise<Unit | undefined> {
    const response = await this.#send({
      method: 'GET',
      segments: ['units', name],
      retry: 'idempotent',
      signal: options.signal,
      unitName: name,
    });
    if (response.status === 404) {
      if (looksLikeFleet(response)) {
        // fleet's item 404 says `unit does not exist`. Its 404 without a message is "no such
        // route": right for a name it cannot route (one with `/`), but for any other name it means
        // the endpoint's base path is wrong, and "absent" would hide that for every unit.
        if (!isWrongRoute(response, name)) return undefined;
        throw errorFromResponse(response, { unitName: name }, WRONG_ROUTE_NOTE);
      }
      throw badResponse(response, 'a 404 that does not come from fleetd (is the endpoint a fleet API?)', {
        unitName: name,
      });
    }
    expectStatus(response, [200], name);
    return decodeUnit(response);
  }

  async createUnit(unit: CreateUnitRequest, options: CallOptions = {}): Promise<CreateUnitResult> {
    const body = checkCreateUnit(unit, this.endpoint.basePath);
    const response = await this.#send({
      method: 'PUT',
      segments: ['units', unit.name],
      body,
      // After a lost response a retry would see 204 or 409 and misreport what happened.
      retry: 'undelivered',
      signal: options.signal,
      unitName: unit.name,
    });
    expectStatus(response, [201, 204], unit.name);
    return { contentsWritten: response.status === 201 };
  }

  async setUnitTargetState(name: string, desiredState: JobState, options: CallOptions = {}): Promise<void> {
    checkDesiredState(name, desiredState, this.endpoint.basePath);
    const response = await this.#send({
      method: 'PUT',
      segments: ['units', name],
      body: { desiredState, name },
      retry: 'idempotent',
      signal: options.signal,
      unitName: name,
    });
    expectStatus(response, [204], name);
  }

  async destroyUnit(name: string, options: DestroyUnitOptions = {}): Promise<boolean> {
    const response = await this.#send({
      method: 'DELETE',
      segments: ['units', name],
      retry: 'idempotent',
      signal: options.signal,
      unitName: name,
    });
    if (response.status === 404 && looksLikeFleet(response) && isWrongRoute(response, name)) {
      throw errorFromResponse(response, { unitName: name }, WRONG_ROUTE_NOTE);
    }
    if (response.status === 404 && looksLikeFleet(response)) {
      // A retry after an attempt that got no response: that attempt most likely deleted the unit.
      if (response.earlierAttemptMaybeDelivered && options.ignoreNotFound) return true;
      if (options.ignoreNotFound) return false;
      throw errorFromResponse(
        response,
        { unitName: name },
        response.earlierAttemptMaybeDelivered
          ? 'an earlier attempt got no response and may have deleted it'
          : undefined,
      );
    }
    expectStatus(response, [204], name);
    return true;
  }

  async listUnitStates(filter: UnitStateFilter = {}, options: CallOptions = {}): Promise<UnitState[]> {
    const filters: [string, string][] = [];
    if (filter.unitName) filters.push(['unitName', filter.unitName]);
    if (filter.machineID) filters.push(['machineID', filter.machineID]);
    const keep = dedupeBy(unitStateKey);
    const states: UnitState[] = [];
    for await (const page of walkPages(
      this.#pageFetcher('state', decodeUnitStatePage, filters, options.signal),
    )) {
      for (const state of page) if (keep(state)) states.push(state);
    }
    return states;
  }

  async listMachines(options: CallOptions = {}): Promise<Machine[]> {
    const keep = dedupeBy(machineKey);
    const machines: Machine[] = [];
    for await (const page of walkPages(
      this.#pageFetcher('machines', decodeMachinePage, [], options.signal),
    )) {
      for (const machine of page) if (keep(machine)) machines.push(machine);
    }
    return machines;
  }

  async patchMachineMetadata(changes: MachineMetadataChange[], options: CallOptions = {}): Promise<void> {
    options.signal?.throwIfAborted();
    if (changes.length === 0) return; // fleet answers `[]` with 204 and does nothing
    const ops: MetadataOp[] = changes.map((change) => {
      const path = `/${change.machineID}/metadata/${change.key}`;
      return change.op === 'remove'
        ? { op: 'remove', path }
        : { op: change.op, path, value: { value: change.value } };
    });
    const response = await this.#send({
      method: 'PATCH',
      segments: ['machines'],
      body: ops,
      retry: 'never',
      signal: options.signal,
    });
    expectStatus(response, [204]);
  }

  async serverVersion(options: CallOptions = {}): Promise<string | undefined> {
    options.signal?.throwIfAborted();
    if (this.#version !== undefined) return this.#version.value;
    const response = await this.#send({
      method: 'GET',
      segments: ['machines'],
      retry: 'idempotent',
      signal: options.signal,
    });
    // fleetd answers 503 while it cannot serve (no etcd): its header names a version, but the
    // endpoint is not usable, and the retry budget is already spent. Say so.
    if (response.status === 503) throw errorFromResponse(response);
    // #send caches the version when the answer carries fleetd's header.
    const seen = parseServerVersion(response.headers.server);
    if (seen !== undefined) return seen;
    // A successful answer without fleetd's header is final (not fleetd, or a proxy that hides it);
    // an error from something in between is not.
    if (response.status === 200) this.#version = { value: undefined };
    return undefined;
  }
}

/** Creates a fleet client. Options are validated here, once. */
export function createFleetClient(options: FleetClientOptions = {}): FleetClient {
  return new HttpFleetApi(options);
}
