/**
 * `npm run test:slowest [file]`: the slowest test files of a run, as the markdown table kept in
 * docs/benchmarks.md. Reads vitest's JSON report (TEST_REPORT, in the system's temp folder, which a
 * CI-mode run writes; or the file given). A file's time is its wall time in its worker, setup and
 * hooks included.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TEST_REPORT } from './test-report-path.js';

interface Report {
  startTime: number;
  testResults: Array<{ name: string; startTime: number; endTime: number; assertionResults: unknown[] }>;
}

const file = path.resolve(process.argv[2] ?? TEST_REPORT);
if (!fs.existsSync(file)) {
  console.error(`no report at ${file}: run the tests with CI=true, or vitest with --reporter=json --outputFile.json=${file}`);
  process.exit(1);
}
const report = JSON.parse(fs.readFileSync(file, 'utf8')) as Report;
const files = report.testResults.map((r) => ({
  name: path.relative(process.cwd(), r.name),
  tests: r.assertionResults.length,
  seconds: (r.endTime - r.startTime) / 1000,
}));
const sum = files.reduce((s, f) => s + f.seconds, 0);
const wall = (Math.max(...report.testResults.map((r) => r.endTime)) - report.startTime) / 1000;
console.log(
  `${files.length} files; the sum of their durations ${sum.toFixed(0)} s in ${wall.toFixed(0)} s of wall time (${(sum / wall).toFixed(1)} files at a time)\n`,
);
console.log('| File | Tests | Seconds |\n| --- | ---: | ---: |');
for (const f of files.sort((a, b) => b.seconds - a.seconds).slice(0, 15)) console.log(`| \`${f.name}\` | ${f.tests} | ${f.seconds.toFixed(0)} |`);
