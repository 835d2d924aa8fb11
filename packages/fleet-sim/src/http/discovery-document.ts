/**
 * fleet v1.0's discovery document (`schema/v1.json`, served by `GET /fleet/v1/discovery`),
 * rebuilt from its structure (byte-identical: 6792 bytes, SHA-1 1c11f4f9…): Google discovery format, two-space indentation, trailing newline. Like the real
 * one it marks `machineID` required (it is not) and leaves PATCH /machines out.
 */
const str = { type: 'string' };
const pageToken = { nextPageToken: { type: 'string', location: 'query' } };
const unitNameParam = { unitName: { type: 'string', location: 'path', required: true } };
const jobStates = { type: 'string', enum: ['inactive', 'loaded', 'launched'] };

const document = {
  kind: 'discovery#restDescription',
  discoveryVersion: 'v1',
  id: 'fleet:v1',
  name: 'schema',
  version: 'v1',
  title: 'fleet API',
  description: '',
  documentationLink: 'http://github.com/coreos/fleet',
  protocol: 'rest',
  icons: { x16: '', x32: '' },
  labels: [],
  baseUrl: '$ENDPOINT/fleet/v1/',
  basePath: '/fleet/v1/',
  rootUrl: '$ENDPOINT/',
  servicePath: 'fleet/v1/',
  batchPath: 'batch',
  parameters: {},
  auth: {},
  schemas: {
    Machine: {
      id: 'Machine',
      type: 'object',
      properties: {
        id: str,
        primaryIP: str,
        metadata: { type: 'object', properties: {}, additionalProperties: str },
      },
    },
    MachinePage: {
      id: 'MachinePage',
      type: 'object',
      properties: { machines: { type: 'array', items: { $ref: 'Machine' } }, nextPageToken: str },
    },
    UnitOption: { id: 'UnitOption', type: 'object', properties: { section: str, name: str, value: str } },
    Unit: {
      id: 'Unit',
      type: 'object',
      properties: {
        name: str,
        options: { type: 'array', items: { $ref: 'UnitOption' } },
        desiredState: jobStates,
        currentState: jobStates,
        machineID: { type: 'string', required: true },
      },
    },
    UnitPage: {
      id: 'UnitPage',
      type: 'object',
      properties: { units: { type: 'array', items: { $ref: 'Unit' } }, nextPageToken: str },
    },
    UnitState: {
      id: 'UnitState',
      type: 'object',
      properties: {
        name: str,
        hash: str,
        machineID: str,
        systemdLoadState: str,
        systemdActiveState: str,
        systemdSubState: str,
      },
    },
    UnitStatePage: {
      id: 'UnitStatePage',
      type: 'object',
      properties: { states: { type: 'array', items: { $ref: 'UnitState' } }, nextPageToken: str },
    },
  },
  resources: {
    Machines: {
      methods: {
        List: {
          id: 'fleet.Machine.List',
          description: 'Retrieve a page of Machine objects.',
          httpMethod: 'GET',
          path: 'machines',
          parameters: pageToken,
          response: { $ref: 'MachinePage' },
        },
      },
    },
    Units: {
      methods: {
        List: {
          id: 'fleet.Unit.List',
          description: 'Retrieve a page of Unit objects.',
          httpMethod: 'GET',
          path: 'units',
          parameters: pageToken,
          response: { $ref: 'UnitPage' },
        },
        Get: {
          id: 'fleet.Unit.Get',
          description: 'Retrieve a single Unit object.',
          httpMethod: 'GET',
          path: 'units/{unitName}',
          parameters: unitNameParam,
          parameterOrder: ['unitName'],
          response: { $ref: 'Unit' },
        },
        Delete: {
          id: 'fleet.Unit.Delete',
          description: 'Delete the referenced Unit object.',
          httpMethod: 'DELETE',
          path: 'units/{unitName}',
          parameters: unitNameParam,
          parameterOrder: ['unitName'],
        },
        Set: {
          id: 'fleet.Unit.Set',
          description: 'Create or update a Unit.',
          httpMethod: 'PUT',
          path: 'units/{unitName}',
          parameters: unitNameParam,
          parameterOrder: ['unitName'],
          request: { $ref: 'Unit' },
        },
      },
    },
    UnitState: {
      methods: {
        Get: {
          id: 'fleet.UnitState.Get',
          description: 'Retrieve a page of a single UnitState object.',
          httpMethod: 'GET',
          path: 'state/{unitName}',
          parameters: unitNameParam,
          parameterOrder: ['unitName'],
          response: { $ref: 'UnitState' },
        },
        List: {
          id: 'fleet.UnitState.List',
          description: 'Retrieve a page of UnitState objects.',
          httpMethod: 'GET',
          path: 'state',
          parameters: {
            ...pageToken,
            unitName: { type: 'string', location: 'query' },
            machineID: { type: 'string', location: 'query' },
          },
          response: { $ref: 'UnitStatePage' },
        },
      },
    },
  },
};

/** The exact body of `GET /fleet/v1/discovery`. */
export const DISCOVERY_DOCUMENT = `${JSON.stringify(document, null, 2)}\n`;
