/** A local HTTP server for services.yaml and unit files, with ETag and Last-Modified (answers 304), that can go away and come back. */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SourceServer {
  /** `http://127.0.0.1:PORT/` */
  root: string;
  files: Map<string, string>;
  /** Every request: path and status. */
  requests: { path: string; status: number }[];
  /** Answer every request with this status (e.g. 503), or normally (undefined). */
  failWith(status: number | undefined): void;
  close(): Promise<void>;
}

export async function startSourceServer(files: Record<string, string> = {}): Promise<SourceServer> {
  const map = new Map(Object.entries(files));
  const requests: { path: string; status: number }[] = [];
  let failing: number | undefined;
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!.slice(1));
    const answer = (status: number, body = '', headers: Record<string, string> = {}) => {
      requests.push({ path, status });
      res.writeHead(status, headers).end(body);
    };
    if (failing) return answer(failing, 'unavailable');
    const text = map.get(path);
    if (text === undefined) return answer(404, 'not found');
    const etag = `"${createHash('sha1').update(text).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) return answer(304, '', { etag });
    answer(200, text, { etag, 'content-type': 'text/plain' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    root: `http://127.0.0.1:${port}/`,
    files: map,
    requests,
    failWith(status) {
      failing = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A unit file in coco's style: its version from DOCKER_APP_VERSION (coco substitutes `latest`). */
export function cocoUnit(description: string, extra = ''): string {
  return `[Unit]
Description=${description}

[Service]
Environment="DOCKER_APP_VERSION=latest"
ExecStart=/bin/sh -c 'docker run --rm --name %p-%i example/${description}:$DOCKER_APP_VERSION'
${extra}`;
}

/** services.yaml in coco's format. */
export function servicesYaml(
  entries: {
    name: string;
    version?: string;
    count?: number;
    uri?: string;
    desiredState?: string;
    sequentialDeployment?: boolean;
    extra?: string;
  }[],
): string {
  const lines = ['services:'];
  for (const e of entries) {
    lines.push(`  - name: ${e.name}`);
    if (e.version !== undefined) lines.push(`    version: "${e.version}"`);
    if (e.count !== undefined) lines.push(`    count: ${e.count}`);
    if (e.uri !== undefined) lines.push(`    uri: ${e.uri}`);
    if (e.desiredState !== undefined) lines.push(`    desiredState: ${e.desiredState}`);
    if (e.sequentialDeployment !== undefined)
      lines.push(`    sequentialDeployment: ${e.sequentialDeployment}`);
    if (e.extra) lines.push(e.extra);
  }
  return `${lines.join('\n')}\n`;
}
