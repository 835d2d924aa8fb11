/**
 * fleet's create-time option validation (`api/units.go` `ValidateOptions`, fleet-api.md §7.2),
 * with fleet's exact messages. fleet stops at the first problem; this reports them all, and the
 * first one reported is the one fleet would answer with (400).
 */
import { pathMatch } from './glob.js';
import { goQuoteString } from './go-quote.js';
import { parseRequirements, X_FLEET_KEYS, X_FLEET_SECTION } from './requirements.js';
import type { UnitOption } from './types.js';
import { goSystemdDeserialize } from './unit-file-go-lexer.js';

/** One reason fleet would refuse to create a unit with these options. */
export interface OptionProblem {
  /** fleet's message, e.g. `MachineID cannot be used with Global`. */
  message: string;
  /** The option the problem is about, when it is about one. */
  option?: UnitOption;
  /** That option's position in the array passed in. */
  index?: number;
  /**
   * 1-based line of the problem in the unit file fleet builds from the options
   * ({@link serializeUnitFile}): where the parser stopped, or the line of the option at fault.
   */
  line?: number;
}

interface Layout {
  text: string;
  /** For each 1-based serialised line, the index of the option it belongs to. */
  owner: number[];
  /** Option indices grouped by section, sections in first-seen order. */
  sections: [string, number[]][];
  /** For each option index, the 1-based line its `name=value` starts on. */
  lineOf: number[];
  /** For each section, the 1-based line of its `[section]` header. */
  headerLine: Map<string, number>;
}

/** Serialise like serializeUnitFile, remembering which option each line came from. */
function layout(options: readonly UnitOption[]): Layout {
  const groups = new Map<string, number[]>();
  options.forEach((o, i) => {
    const g = groups.get(o.section);
    if (g === undefined) groups.set(o.section, [i]);
    else g.push(i);
  });
  const sections = [...groups];
  // owner[L] for line L (1-based): the option whose chunk ends that line; [0] is unused.
  const owner: number[] = [-1];
  const lineOf: number[] = [];
  const headerLine = new Map<string, number>();
  let text = '';
  const add = (chunk: string, index: number) => {
    text += chunk;
    for (const c of chunk) if (c === '\n') owner.push(index);
  };
  sections.forEach(([section, indices], s) => {
    const first = indices[0]!;
    if (s > 0) add('\n', first);
    headerLine.set(section, owner.length);
    add(`[${section}]\n`, first);
    for (const i of indices) {
      const o = options[i]!;
      lineOf[i] = owner.length;
      add(`${o.name}=${o.value}\n`, i);
    }
  });
  return { text, owner, sections, lineOf, headerLine };
}

function problemAt(
  options: readonly UnitOption[],
  message: string,
  index: number | undefined,
  line: number | undefined,
): OptionProblem {
  const option = index === undefined ? undefined : options[index];
  const problem: OptionProblem = option === undefined ? { message } : { message, option, index };
  if (line !== undefined) problem.line = line;
  return problem;
}

/** The §7.2 step 1 round trip: serialise, re-parse with go-systemd, report parse errors. */
function roundTripProblems(options: readonly UnitOption[], lines: Layout): OptionProblem[] {
  const { text, owner, sections, lineOf, headerLine } = lines;
  const whole = goSystemdDeserialize(text);
  if (whole.error === undefined) return [];
  const first = owner[whole.error.line];
  const problems = [problemAt(options, whole.error.message, first, whole.error.line)];
  // fleet stops there; find the other options that would fail on their own.
  for (const [section, indices] of sections) {
    const header = goSystemdDeserialize(`[${section}]\n`);
    if (header.error !== undefined && indices[0] !== first) {
      problems.push(problemAt(options, header.error.message, indices[0], headerLine.get(section)));
    }
    for (const i of indices) {
      if (i === first) continue;
      const o = options[i]!;
      const alone = goSystemdDeserialize(`[S]\n${o.name}=${o.value}\n`);
      if (alone.error !== undefined) problems.push(problemAt(options, alone.error.message, i, lineOf[i]));
    }
  }
  return problems;
}

/** The §7.2 step 2 `[X-Fleet]` consistency checks, in fleet's order. */
function requirementProblems(options: readonly UnitOption[], lineOf: readonly number[]): OptionProblem[] {
  const req = parseRequirements(options);
  const peers = [...new Set(req.machineOf)];
  const conflicts = [...new Set(req.conflicts)];
  const replaces = [...new Set(req.replaces)];
  const firstXFleet = (...keys: string[]): number | undefined => {
    const i = options.findIndex((o) => o.section === X_FLEET_SECTION && keys.includes(o.name));
    return i === -1 ? undefined : i;
  };
  const lineAt = (index: number | undefined) => (index === undefined ? undefined : lineOf[index]);
  const problems: OptionProblem[] = [];
  for (const peer of peers) {
    for (const conflict of conflicts) {
      if (pathMatch(conflict, peer)) {
        problems.push(
          problemAt(
            options,
            `unresolvable requirements: peer ${goQuoteString(peer)} matches conflict ${goQuoteString(conflict)}`,
            firstXFleet('Conflicts', 'X-Conflicts'),
            lineAt(firstXFleet('Conflicts', 'X-Conflicts')),
          ),
        );
      }
    }
  }
  for (const peer of peers) {
    for (const replace of replaces) {
      if (pathMatch(replace, peer)) {
        problems.push(
          problemAt(
            options,
            `unresolvable requirements: peer ${goQuoteString(peer)} matches replace ${goQuoteString(replace)}`,
            firstXFleet('Replaces'),
            lineAt(firstXFleet('Replaces')),
          ),
        );
      }
    }
  }
  const hasTarget = req.machineID !== undefined;
  const hasPeers = peers.length > 0;
  const hasConflicts = conflicts.length > 0;
  const hasReplaces = replaces.length > 0;
  const machineIDAt = firstXFleet('MachineID', 'X-ConditionMachineID', 'X-ConditionMachineBootID');
  const globalAt = firstXFleet('Global');
  const combinations: [boolean, string, number | undefined][] = [
    [hasTarget && hasPeers, 'MachineID cannot be used with Peers', machineIDAt],
    [hasTarget && hasConflicts, 'MachineID cannot be used with Conflicts', machineIDAt],
    [hasTarget && req.global, 'MachineID cannot be used with Global', machineIDAt],
    [hasTarget && hasReplaces, 'MachineID cannot be used with Replaces', machineIDAt],
    [req.global && hasPeers, 'Global cannot be used with Peers', globalAt],
    [req.global && hasReplaces, 'Global cannot be used with Replaces', globalAt],
    [hasConflicts && hasReplaces, 'Conflicts cannot be used with Replaces', firstXFleet('Replaces')],
  ];
  for (const [applies, message, index] of combinations) {
    if (applies) problems.push(problemAt(options, message, index, lineAt(index)));
  }
  return problems;
}

/**
 * Validate options as fleet does when a unit is created (`PUT` of a new name): the
 * serialise/re-parse round trip (`line too long (max 2048 bytes)`, `unexpected newline
 * encountered while parsing option name`, bad section names), then `[X-Fleet]` consistency
 * (`MachineID cannot be used with Global`, `unresolvable requirements: peer "a" matches
 * conflict "a*"`, …). Returns every problem; `[]` means fleet would accept the options, and the
 * first problem is the message fleet would answer with. Specifiers are not expanded, as in fleet.
 * fleet skips this on replace; validate before every PUT that carries options.
 */
export function validateUnitOptions(options: readonly UnitOption[]): OptionProblem[] {
  const lines = layout(options);
  return [...roundTripProblems(options, lines), ...requirementProblems(options, lines.lineOf)];
}

/**
 * `[X-Fleet]` keys fleet does not understand, in first-seen order. Not an error: fleetctl only
 * warns (`unrecognized requirement in [X-Fleet] section: "Foo"`) and the API accepts them.
 */
export function unknownFleetKeys(options: readonly UnitOption[]): string[] {
  const unknown: string[] = [];
  for (const option of options) {
    if (option.section !== X_FLEET_SECTION) continue;
    if (!X_FLEET_KEYS.includes(option.name) && !unknown.includes(option.name)) unknown.push(option.name);
  }
  return unknown;
}
