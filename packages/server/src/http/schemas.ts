/** JSON schemas of the routes' inputs and outputs (fastify validates them; /openapi.json shows them). */

export const serviceParams = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', pattern: '^[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]$', maxLength: 200 } },
} as const;

export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9-]{1,100}$' } },
} as const;

export const waitQuery = {
  type: 'object',
  properties: {
    wait: {
      type: 'string',
      enum: ['true', 'false', '1', '0'],
      description: 'Hold the answer until the rollout ends; its status is the outcome’s',
    },
  },
  additionalProperties: false,
} as const;

export const rolloutBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    version: {
      type: 'string',
      minLength: 1,
      maxLength: 128,
      description: 'The version (image tag) to roll out',
    },
    image: {
      type: 'string',
      minLength: 1,
      maxLength: 512,
      description: 'repository:tag (the tag is the version)',
    },
    force: { type: 'boolean', description: 'Replace every instance even when its contents match (re-pull)' },
    count: { type: 'integer', minimum: 0, maximum: 10_000, description: 'Instances' },
  },
} as const;

export const errorSchema = {
  type: 'object',
  properties: { error: { type: 'string' }, message: { type: 'string' } },
  required: ['error', 'message'],
} as const;

export const rolloutSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    id: { type: 'string' },
    service: { type: 'string' },
    kind: { type: 'string', enum: ['deploy', 'rollback'] },
    state: { type: 'string', enum: ['queued', 'running', 'finished', 'superseded'] },
    outcome: { type: 'string' },
    failureClass: { type: 'string' },
    supersededBy: { type: 'string' },
  },
} as const;

export const symfoniBody = {
  type: 'object',
  required: ['image'],
  properties: { image: { type: 'string', minLength: 1, maxLength: 512 } },
} as const;

export const dockerHubBody = {
  type: 'object',
  required: ['push_data', 'repository'],
  properties: {
    callback_url: { type: 'string', maxLength: 2048 },
    push_data: { type: 'object', required: ['tag'], properties: { tag: { type: 'string' } } },
    repository: { type: 'object', required: ['repo_name'], properties: { repo_name: { type: 'string' } } },
  },
} as const;

export const registryBody = {
  type: 'object',
  required: ['events'],
  properties: {
    events: {
      type: 'array',
      maxItems: 1_000,
      items: {
        type: 'object',
        properties: {
          action: { type: 'string' },
          target: {
            type: 'object',
            properties: { repository: { type: 'string' }, tag: { type: 'string' } },
          },
          request: { type: 'object', properties: { host: { type: 'string' } } },
        },
      },
    },
  },
} as const;

export const tokenQuery = {
  type: 'object',
  properties: { token: { type: 'string' } },
} as const;

declare module 'fastify' {
  interface FastifySchema {
    /** One line for /openapi.json. */
    summary?: string;
  }
}
