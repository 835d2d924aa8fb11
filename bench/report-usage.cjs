// Preloaded (`node --require`) into a child the benches measure: at exit, writes that process's
// own resource usage (peak RSS, CPU) as JSON to $FS_BENCH_USAGE_FILE. Nothing else.
const { writeFileSync } = require('node:fs');
const file = process.env.FS_BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({ maxRssKb: u.maxRSS, userUs: u.userCPUTime, systemUs: u.systemCPUTime }),
    );
  });
}
