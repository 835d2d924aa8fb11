// Preloaded (`node --require`) into a child the benches measure: at exit, writes that process's
// own resource usage (peak RSS, CPU) as JSON to $FS_BENCH_USAGE_FILE, with the heap figures seen
// at the highest RSS sampled (every 50 ms), to tell what the memory was. Nothing else.
const { writeFileSync } = require('node:fs');
const file = process.env.FS_BENCH_USAGE_FILE;
if (file) {
  let atPeak = process.memoryUsage();
  setInterval(() => {
    const m = process.memoryUsage();
    if (m.rss > atPeak.rss) atPeak = m;
  }, 50).unref();
  process.on('exit', () => {
    const u = process.resourceUsage();
    const mib = (b) => Math.round((b / 1048576) * 10) / 10;
    writeFileSync(
      file,
      JSON.stringify({
        maxRssKb: u.maxRSS,
        userUs: u.userCPUTime,
        systemUs: u.systemCPUTime,
        atPeakMiB: {
          rss: mib(atPeak.rss),
          heapTotal: mib(atPeak.heapTotal),
          heapUsed: mib(atPeak.heapUsed),
          external: mib(atPeak.external),
        },
      }),
    );
  });
}
