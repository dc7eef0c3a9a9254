import { runIngestBench } from './ingest.js';

/** `npm run bench`: every benchmark, one after the other. */
await runIngestBench();
