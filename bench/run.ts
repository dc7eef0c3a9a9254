import { runDigestBench } from './digest.js';
import { runEngineBench } from './engine.js';
import { runIngestBench } from './ingest.js';
import { runSlackStormBench } from './slack-storm.js';
import { runSourcesBench } from './sources.js';

/**
 * `npm run bench`: every benchmark, one after the other, each printing its figures beside the
 * baseline measured in the same run. `npm run bench -- engine ingest` runs a subset.
 */
const benches: Record<string, () => Promise<void>> = {
  engine: runEngineBench,
  ingest: runIngestBench,
  sources: runSourcesBench,
  storm: runSlackStormBench,
  digest: runDigestBench,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const [name, run] of Object.entries(benches)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  process.stdout.write(`\n━━ ${name} ━━\n`);
  await run();
}
