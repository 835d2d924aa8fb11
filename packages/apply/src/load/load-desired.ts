/**
 * loadDesiredState: services.yaml and every unit file → a validated DesiredState, or every
 * problem at once (DesiredStateError). Nothing in the cluster is read or changed here.
 */
import {
  type JobState,
  parseUnitFile,
  UnitFileSyntaxError,
  type UnitOption,
  validateUnitOptions,
} from '@fleet-service/fleet-client';
import { VERSION_PATTERN } from '@fleet-service/rollout';
import type { DesiredService, DesiredState, StrategySettings } from '../desired.js';
import {
  DesiredStateError,
  type DesiredStateProblem,
  EmptyDesiredStateError,
  SourceError,
} from '../errors.js';
import { mapLimit } from '../map-limit.js';
import { classifyEntry, sidekickOf } from './entry-rules.js';
import { type LocatedEntry, parseServicesYaml } from './parse-yaml.js';
import { renderUnitText } from './render-unit.js';
import { baseOf, resolveRef, SourceReader } from './source.js';
import { mergeStrategy, strategyOf } from './strategy.js';

export interface LoadOptions {
  /**
   * services.yaml's URL or path. @default `<rootUri>services.yaml` (coco's layout)
   */
  file?: string;
  /** Where relative unit-file URIs (and a missing `uri`: `<rootUri><name>`) are found. @default services.yaml's directory */
  rootUri?: string;
  /** Accept a file that lists no service. @default false */
  allowEmpty?: boolean;
  /** Reuse one reader between loads (a watch loop): unchanged sources then cost a 304. @default a new one */
  reader?: SourceReader;
  signal?: AbortSignal;
  /** Unit files read at once. @default 8 */
  concurrency?: number;
  /** Settings under the file's own `defaults` (a front end's flags, e.g. fs's --timeout): the file wins. */
  defaults?: StrategySettings;
}

/** The services.yaml location the options name (coco: `<rootURI>services.yaml`). */
export function servicesFileOf(opts: Pick<LoadOptions, 'file' | 'rootUri'>): string {
  if (opts.file) return opts.file;
  if (!opts.rootUri) throw new SourceError('services.yaml', 'neither a file nor a root URI was given');
  return resolveRef('services.yaml', opts.rootUri);
}

export async function loadDesiredState(opts: LoadOptions): Promise<DesiredState> {
  const reader = opts.reader ?? new SourceReader(opts.signal ? { signal: opts.signal } : {});
  const file = servicesFileOf(opts);
  const yaml = await reader.read(file, opts.signal);
  let unchanged = yaml.notModified;
  const parsed = parseServicesYaml(yaml.text, yaml.source);
  if (parsed.problems.length > 0) {
    const more = checkNames(parsed.raw ?? [], yaml.source).problems.filter(
      (p) => !/count ≥ 1/.test(p.message),
    );
    throw new DesiredStateError(sortProblems([...parsed.problems, ...more]));
  }
  if (parsed.entries.length === 0 && !opts.allowEmpty)
    throw new EmptyDesiredStateError(`${yaml.source} lists no service (an empty desired state)`);

  const root = opts.rootUri ?? baseOf(yaml.source);
  const fileDefaults = strategyOf(parsed.defaults);
  const defaults = opts.defaults ? mergeStrategy(opts.defaults, fileDefaults, undefined, 0) : fileDefaults;
  const problems: DesiredStateProblem[] = [];
  const problem = (e: LocatedEntry, message: string, at = e.nameAt) =>
    problems.push({ file: yaml.source, ...at, entry: e.entry.name, message });

  const named = checkNames(parsed.entries, yaml.source);
  problems.push(...named.problems);
  const shaped = named.shaped;

  // every unit file, read and validated
  const units = await mapLimit(shaped, opts.concurrency ?? 8, async ({ e }) => {
    const ref = resolveRef(e.entry.uri ?? e.entry.name, root);
    try {
      const source = await reader.read(ref, opts.signal);
      unchanged &&= source.notModified;
      const rendered = renderUnitText(source.text, e.version);
      if (rendered.problem) {
        problem(e, rendered.problem);
        return undefined;
      }
      const unitFile = parseUnitFile(rendered.text, { source: source.source });
      const invalid = validateUnitOptions(unitFile);
      for (const p of invalid)
        problems.push({
          file: source.source,
          ...(p.line ? { line: p.line } : {}),
          entry: e.entry.name,
          message: p.message,
        });
      if (unitFile.length === 0) problem(e, `unit file ${source.source} has no options`);
      return invalid.length === 0 && unitFile.length > 0
        ? { unitFile, source: source.source, text: source.text }
        : undefined;
    } catch (error) {
      if (opts.signal?.aborted) throw error;
      if (error instanceof UnitFileSyntaxError) {
        for (const p of error.problems)
          problems.push({ file: error.source, line: p.line, entry: e.entry.name, message: p.message });
      } else if (error instanceof SourceError) problem(e, `unit file: ${error.message}`, e.at);
      else throw error;
      return undefined;
    }
  });

  const services: DesiredService[] = [];
  shaped.forEach(({ e, kind, service }, k) => {
    const unit = units[k];
    if (!unit) return;
    const count = kind === 'template' ? (e.entry.count ?? 0) : 0;
    const d: DesiredService = {
      service,
      kind,
      name: e.entry.name,
      count,
      ...(e.version !== undefined ? { version: e.version } : {}),
      unitFile: unit.unitFile,
      unitSource: unit.source,
      unitText: unit.text,
      ...(e.entry.image !== undefined ? { image: e.entry.image } : {}),
      ...(e.entry.allowUpdates !== undefined ? { allowUpdates: e.entry.allowUpdates } : {}),
      ...(e.entry.notify !== undefined ? { notify: e.entry.notify } : {}),
      ...(e.entry.task !== undefined ? { task: resolveRef(e.entry.task, root) } : {}),
      ...(e.entry.strategy === 'versioned'
        ? {
            versioned: {
              ...(e.entry.destroyPrevious !== undefined ? { destroyPrevious: e.entry.destroyPrevious } : {}),
              ...(e.entry.batchSize !== undefined ? { batchSize: e.entry.batchSize } : {}),
            },
          }
        : {}),
      desiredState: (e.entry.desiredState || 'launched') as JobState,
      ...(e.entry.sequentialDeployment !== undefined
        ? { sequentialDeployment: e.entry.sequentialDeployment }
        : {}),
      strategy: mergeStrategy(defaults, strategyOf(e.entry), e.entry.sequentialDeployment, count),
      at: { file: yaml.source, ...e.at },
    };
    services.push(d);
  });
  const grouped = groupSidekicks(services, problems);
  if (problems.length > 0) throw new DesiredStateError(problems);
  return { source: yaml.source, services: grouped, unchanged };
}

/** `S-sidekick@.service` listed with `S@.service`: becomes S's sidekick (same count required). */
function groupSidekicks(services: DesiredService[], problems: DesiredStateProblem[]): DesiredService[] {
  const byService = new Map(services.map((s) => [s.service, s]));
  const out: DesiredService[] = [];
  for (const s of services) {
    const main = s.kind === 'template' ? sidekickOf(s.service) : undefined;
    const owner = main ? byService.get(main) : undefined;
    if (owner?.kind !== 'template') {
      out.push(s);
      continue;
    }
    if (owner.count !== s.count) {
      problems.push({
        ...s.at,
        entry: s.name,
        message: `sidekick count ${s.count} differs from ${owner.name}'s count ${owner.count}`,
      });
      continue;
    }
    owner.sidekick = {
      name: s.name,
      service: s.service,
      unitFile: s.unitFile as UnitOption[],
      unitSource: s.unitSource,
    };
  }
  return out;
}

/** coco's rules for names and counts, duplicates, template desiredState. */
function checkNames(
  entries: readonly LocatedEntry[],
  file: string,
): {
  shaped: { e: LocatedEntry; kind: 'template' | 'plain'; service: string }[];
  problems: DesiredStateProblem[];
} {
  const problems: DesiredStateProblem[] = [];
  const problem = (e: LocatedEntry, message: string) =>
    problems.push({ file, ...e.nameAt, entry: e.entry.name, message });
  const shaped: { e: LocatedEntry; kind: 'template' | 'plain'; service: string }[] = [];
  const seen = new Map<string, LocatedEntry>();
  for (const e of entries) {
    const shape = classifyEntry(e.entry.name, e.entry.count);
    if ('problem' in shape) {
      problem(e, shape.problem);
      continue;
    }
    const first = seen.get(shape.service);
    if (first) {
      problem(e, `duplicate service "${shape.service}" (first listed at line ${first.nameAt.line ?? '?'})`);
      continue;
    }
    seen.set(shape.service, e);
    if (shape.kind === 'template' && e.entry.desiredState && e.entry.desiredState !== 'launched')
      problem(
        e,
        `desiredState ${e.entry.desiredState}: template services are always launched (list a plain unit instead)`,
      );
    if (e.entry.strategy === 'versioned') {
      const version = e.entry.version === undefined ? undefined : String(e.entry.version);
      if (shape.kind !== 'template') problem(e, 'strategy versioned needs a template service (S@.service)');
      else if (version === undefined || !VERSION_PATTERN.test(version))
        problem(
          e,
          `strategy versioned needs a version matching ${VERSION_PATTERN} (the units are S-<version>@N)`,
        );
    } else if (e.entry.destroyPrevious !== undefined || e.entry.batchSize !== undefined)
      problem(e, 'destroyPrevious and batchSize apply to strategy: versioned only');
    shaped.push({ e, ...shape });
  }
  return { shaped, problems };
}

/** Problems in file order (by line, then column). */
function sortProblems(problems: DesiredStateProblem[]): DesiredStateProblem[] {
  return [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}
