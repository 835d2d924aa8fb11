// Requests/second of the simulator's list endpoints at 100 and FS_BENCH_SIM_UNITS (default 10,000)
// units, as ratios: per-request cost at the large size ÷ at 100 units (growth), and ÷ a trivial
// node:http server measured in the same run (overhead). Nothing here asserts a time.
import http from 'node:http';
import { ManualClock, startFleetSim } from '@fleet-service/fleet-sim';
import type { BenchResult } from './run.js';

const BIG = Number(process.env.FS_BENCH_SIM_UNITS ?? 10_000);
const STATE_REQUESTS = Number(process.env.FS_BENCH_SIM_REQUESTS ?? 300);

function getter(base: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (path: string) =>
    new Promise<string>((resolve, reject) => {
      http
        .get(`${base}${path}`, { agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        })
        .on('error', reject);
    });
  return { get, close: () => agent.destroy() };
}

function putter(base: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const put = (name: string, body: unknown) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(
        `${base}/fleet/v1/units/${encodeURIComponent(name)}`,
        { method: 'PUT', agent, headers: { 'Content-Type': 'application/json' } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
  return { put, close: () => agent.destroy() };
}

/** Mean milliseconds per request over `n` sequential calls of `fn`. */
async function perRequest(n: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(20, n); i++) await fn(i);
  const start = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  return (performance.now() - start) / n;
}

async function baseline(): Promise<number> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const { get, close } = getter(`http://127.0.0.1:${port}`);
  const ms = await perRequest(STATE_REQUESTS, () => get('/fleet/v1/state?unitName=x'));
  close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return ms;
}

async function measure(
  units: number,
): Promise<{ unitsPage: number; allPages: number; stateByName: number; pages: number }> {
  const clock = new ManualClock(0);
  const sim = await startFleetSim({ clock, machines: 3, seed: 7 });
  try {
    const { put, close: closePut } = putter(sim.endpoint);
    const names = Array.from({ length: units }, (_, i) => `web@${i + 1}.service`);
    for (let i = 0; i < names.length; i += 64) {
      await Promise.all(
        names.slice(i, i + 64).map((name) =>
          put(name, {
            desiredState: 'launched',
            options: [{ section: 'Service', name: 'ExecStart', value: '/bin/sleep 1000' }],
          }),
        ),
      );
    }
    closePut();
    await clock.advance(10_000);
    const { get, close } = getter(sim.endpoint);
    let pages = 0;
    const allPages = async () => {
      let token: string | undefined;
      pages = 0;
      do {
        const body = JSON.parse(
          await get(`/fleet/v1/units${token ? `?nextPageToken=${encodeURIComponent(token)}` : ''}`),
        ) as {
          nextPageToken?: string;
        };
        token = body.nextPageToken;
        pages++;
      } while (token);
    };
    const rounds = Math.max(1, Math.ceil(300 / Math.ceil(units / 100)));
    const listMs = await perRequest(rounds, allPages);
    const unitsPage = listMs / pages;
    const stateByName = await perRequest(STATE_REQUESTS, (i) =>
      get(`/fleet/v1/state?unitName=${encodeURIComponent(names[(i * 7919) % names.length]!)}`),
    );
    close();
    return { unitsPage, allPages: listMs, stateByName, pages };
  } finally {
    await sim.close();
  }
}

export default async function fleetSimBench(): Promise<BenchResult[]> {
  await baseline();
  await measure(100); // warm-up: JIT and sockets, discarded
  const small = await measure(100);
  const big = await measure(BIG);
  const base = await baseline();
  const detail = (ms: number) => ({
    msPerRequest: Number(ms.toFixed(3)),
    requestsPerSecond: Math.round(1000 / ms),
  });
  return [
    {
      name: `GET /units page at ${BIG} units`,
      ratio: big.unitsPage / small.unitsPage,
      baseline: 'per-request cost at 100 units',
      detail: {
        ...detail(big.unitsPage),
        pages: big.pages,
        allPagesMs: Number(big.allPages.toFixed(1)),
        smallRequestsPerSecond: Math.round(1000 / small.unitsPage),
      },
    },
    {
      name: `GET /state?unitName= at ${BIG} units`,
      ratio: big.stateByName / small.stateByName,
      baseline: 'per-request cost at 100 units',
      detail: { ...detail(big.stateByName), smallRequestsPerSecond: Math.round(1000 / small.stateByName) },
    },
    {
      name: `GET /units page at ${BIG} units vs trivial server`,
      ratio: big.unitsPage / base,
      baseline: 'a trivial node:http server answering {}',
      detail: { baselineRequestsPerSecond: Math.round(1000 / base) },
    },
    {
      name: `GET /state?unitName= at ${BIG} units vs trivial server`,
      ratio: big.stateByName / base,
      baseline: 'a trivial node:http server answering {}',
      detail: { baselineRequestsPerSecond: Math.round(1000 / base) },
    },
  ];
}
