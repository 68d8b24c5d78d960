// What re-checking a stored spec for reference cycles adds to reading it back
// (every reader of the contracts repository does it once per spec and
// process): GitHub's 13 MB spec parsed as a stored spec is (the baseline),
// then parsed and checked. Run: npm run build && node bench/stored-spec-check.mjs
// (RUNS=… changes the number of runs.)
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { endlessReferenceCycles } from '../dist/openapi/reference-cycles.js';
import { parseJsonOrYaml } from '../dist/util/parse.js';
import { packageFiles } from '../scripts/corpora.mjs';

const RUNS = Number(process.env.RUNS ?? 5);
const [file] = await packageFiles({
  name: '@octokit/openapi',
  version: '23.0.2',
  files: ['generated/api.github.com.json'],
});
const text = readFileSync(file, 'utf8');
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const parse = [];
const check = [];
for (let run = 0; run < RUNS; run++) {
  let started = performance.now();
  const document = await parseJsonOrYaml(text, 'api.github.com.json');
  parse.push(performance.now() - started);
  started = performance.now();
  const problems = endlessReferenceCycles(document);
  check.push(performance.now() - started);
  if (problems.length > 0) throw new Error(`unexpected cycles: ${problems[0].message}`);
}
const p = median(parse);
const c = median(check);
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, node ${process.version}`);
console.log(`GitHub spec (${(text.length / 1e6).toFixed(1)} MB), median of ${RUNS} runs:`);
console.log(`  parse (baseline)        ${p.toFixed(0)} ms`);
console.log(`  reference-cycle check   ${c.toFixed(0)} ms (+${((c / p) * 100).toFixed(0)} % of the parse)`);
