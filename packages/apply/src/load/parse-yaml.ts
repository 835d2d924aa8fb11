/**
 * services.yaml text → validated entries, every problem at once with file:line:column. YAML is
 * read with `yaml` (its own syntax errors, duplicate keys), the shape checked with zod, and each
 * zod issue mapped back to the node it is about.
 */
import { type Document, isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { DesiredStateProblem } from '../errors.js';
import { type EntryInput, type FileInput, fileSchema } from './schema.js';

/** An entry with where it is and its version exactly as written (`1.10` stays `1.10`). */
export interface LocatedEntry {
  entry: EntryInput;
  index: number;
  at: { line?: number; column?: number };
  /** The `name` node's position (for problems about the name). */
  nameAt: { line?: number; column?: number };
  version?: string;
}

export interface ParsedFile {
  entries: LocatedEntry[];
  /** When the schema failed: each entry's name and count as written (names and duplicates are still checked). */
  raw?: LocatedEntry[];
  defaults: FileInput['defaults'];
  problems: DesiredStateProblem[];
}

type Path = readonly (string | number)[];

export function parseServicesYaml(text: string, file: string): ParsedFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const pos = (offset: number | undefined) => {
    if (offset === undefined) return {};
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const problems: DesiredStateProblem[] = doc.errors.map((e) => ({
    file,
    ...pos(e.pos[0]),
    message: e.message.split('\n')[0] ?? e.message,
  }));
  if (problems.length > 0) return { entries: [], defaults: undefined, problems };

  const data = doc.toJS() ?? {};
  const checked = fileSchema.safeParse(data);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : undefined;
      if (keys) {
        for (const key of keys)
          problems.push({
            file,
            ...pos(keyOffset(doc, path, key)),
            ...entryOf(data, path),
            message: `unknown key "${key}"${where(path)}`,
          });
      } else {
        problems.push({
          file,
          ...pos(nodeOffset(doc, path)),
          ...entryOf(data, path),
          message: `${pathText(path.slice(path[0] === 'services' ? 2 : 0)) || 'file'}: ${issue.message}`,
        });
      }
    }
    return { entries: [], raw: rawEntries(doc, data, pos), defaults: undefined, problems };
  }
  const entries = (checked.data.services ?? []).map((entry, index): LocatedEntry => {
    const at = pos(nodeOffset(doc, ['services', index]));
    const nameAt = pos(nodeOffset(doc, ['services', index, 'name']));
    const versionNode = doc.getIn(['services', index, 'version'], true);
    const version =
      entry.version === undefined
        ? undefined
        : isScalar(versionNode) && versionNode.range && typeof entry.version === 'number'
          ? text.slice(versionNode.range[0], versionNode.range[1]).trim()
          : String(entry.version);
    return { entry, index, at, nameAt, ...(version !== undefined ? { version } : {}) };
  });
  return { entries, defaults: checked.data.defaults, problems };
}

function where(path: Path): string {
  return path.length === 0 ? ' at the top level' : ` in ${pathText(path)}`;
}

/** `services[0].timeouts` */
function pathText(path: Path): string {
  return path.map((p, k) => (typeof p === 'number' ? `[${p}]` : k === 0 ? p : `.${p}`)).join('');
}

/** `{entry: 'web@.service'}` for a path under services[k] (by its name when it has one). */
function entryOf(data: unknown, path: Path): { entry?: string } {
  if (path[0] !== 'services' || typeof path[1] !== 'number') return {};
  const e = (data as { services?: { name?: unknown }[] }).services?.[path[1]];
  return { entry: typeof e?.name === 'string' ? e.name : `services[${path[1]}]` };
}

/** Offset of the node at `path`, or of its nearest ancestor that exists. */
function nodeOffset(doc: Document, path: Path): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return range[0];
  }
  return undefined;
}

/** Offset of the key `key` in the map at `path`. */
function keyOffset(doc: Document, path: Path, key: string): number | undefined {
  const map = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (isMap(map)) {
    for (const pair of map.items) {
      if (isScalar(pair.key) && pair.key.value === key && pair.key.range) return pair.key.range[0];
    }
  }
  return nodeOffset(doc, path);
}

/** Entries whose name is a string, for the checks that still make sense when the schema failed. */
function rawEntries(
  doc: Document,
  data: unknown,
  pos: (offset: number | undefined) => { line?: number; column?: number },
): LocatedEntry[] {
  const list = (data as { services?: unknown }).services;
  if (!Array.isArray(list)) return [];
  return list.flatMap((e: unknown, index): LocatedEntry[] => {
    const entry = e as { name?: unknown; count?: unknown };
    if (typeof entry?.name !== 'string') return [];
    const count = Number.isInteger(entry.count) ? (entry.count as number) : undefined;
    return [
      {
        entry: { name: entry.name, ...(count !== undefined ? { count } : {}) } as LocatedEntry['entry'],
        index,
        at: pos(nodeOffset(doc, ['services', index])),
        nameAt: pos(nodeOffset(doc, ['services', index, 'name'])),
      },
    ];
  });
}
