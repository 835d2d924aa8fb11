/**
 * coco-fleet-deployer's command line, with the binary name changed:
 *   fs apply -fleetEndpoint=http://1.2.3.4:49153 -rootURI=https://…/service-files/ -destroy=true
 * Go's flag syntax: one or two dashes, the value after `=` or as the next word (booleans only
 * with `=`, or alone; `true`/`false` as the next word is accepted too). Pure: translates coco's
 * flags to fs's and leaves everything else as it was. Flags that only made sense inside coco
 * (etcd health keys, its restart sleep) are dropped and named in `ignored`.
 */

/** coco flag → fs flag; `bool` flags take no separate value in Go. */
const COCO_FLAGS: Readonly<Record<string, { to: string; bool?: boolean }>> = {
  fleetEndpoint: { to: '--endpoint' },
  rootURI: { to: '--root-uri' },
  destroy: { to: '--prune', bool: true },
  socksProxy: { to: '--socks-proxy' },
  isDebug: { to: '--verbose', bool: true },
};

const COCO_IGNORED = new Set([
  'etcd-url',
  'health-url-prefix',
  'health-endpoint',
  'service-name-prefix',
  'no-of-secs-to-sleep-before-restart',
]);

/** deployster's command line (`deployster -listen=0.0.0.0:3000 -password=… -docker-hub-username=…`) → `fs serve`'s. */
export const DEPLOYSTER_FLAGS: Readonly<Record<string, { to: string; bool?: boolean }>> = {
  listen: { to: '--listen' },
  cert: { to: '--cert' },
  key: { to: '--key' },
  username: { to: '--username' },
  password: { to: '--password' },
  'docker-hub-username': { to: '--docker-hub-username' },
};

export function translateGoFlags(
  argv: readonly string[],
  table: Readonly<Record<string, { to: string; bool?: boolean }>> = COCO_FLAGS,
  dropped: ReadonlySet<string> = COCO_IGNORED,
): { argv: string[]; ignored: string[] } {
  const out: string[] = [];
  const ignored: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const m = /^--?([A-Za-z][\w-]*)(?:=(.*))?$/s.exec(token);
    const name = m?.[1];
    const flag = name ? table[name] : undefined;
    if (!m || !name || (!flag && !dropped.has(name))) {
      out.push(token);
      continue;
    }
    let value = m[2];
    const next = argv[i + 1];
    if (flag?.bool) {
      if (value === undefined && (next === 'true' || next === 'false')) {
        value = next;
        i++;
      }
      if (value === undefined || /^(1|t|true|TRUE|True)$/.test(value)) out.push(flag.to);
      else if (!/^(0|f|false|FALSE|False)$/.test(value)) out.push(`${flag.to}=${value}`); // oclif reports it
      continue;
    }
    if (value === undefined && next !== undefined) {
      value = next;
      i++;
    }
    if (!flag) {
      ignored.push(`-${name}`);
      continue;
    }
    out.push(value === undefined ? flag.to : `${flag.to}=${value}`);
  }
  return { argv: out, ignored };
}
