// `entente diff` on GitHub Enterprise Server's real specs (about 11 MB of JSON each, from
// @octokit/openapi, fetched on demand into the corpora cache): the whole command through the
// real CLI (load, bundle, validate both sides, compare, render JSON), then the same work in
// process split into load and compare. Run: npm run bench:diff (RUNS=5 by default).
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { packageFiles } from '../../scripts/corpora.mjs';

const RUNS = Number(process.env.RUNS ?? 5);
const VERSIONS = ['3.17', '3.18', '3.19'];
const bin = fileURLToPath(new URL('../../bin/entente', import.meta.url));
const files = await packageFiles({
  name: '@octokit/openapi',
  version: '23.0.2',
  files: VERSIONS.map((version) => `generated/ghes-${version}.json`),
});
const { loadSpec } = await import('../../dist/openapi/load.js');
const { diffSpecs } = await import('../../dist/openapi/diff/diff-specs.js');

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) => `${Math.round(value)} ms`;
const time = async (work) => {
  const start = performance.now();
  const result = await work();
  return { ms: performance.now() - start, result };
};

console.log(
  `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, ${RUNS} runs, median`,
);
console.log('| pair | entente diff (CLI, wall) | load base | load revision | compare | findings |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (let i = 0; i + 1 < files.length; i += 1) {
  const cli = [];
  const loads = [[], []];
  const compares = [];
  let findings = 0;
  for (let run = 0; run < RUNS; run += 1) {
    const start = performance.now();
    const child = spawnSync(process.execPath, [bin, 'diff', files[i], files[i + 1], '--json'], {
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: '1' },
    });
    cli.push(performance.now() - start);
    if (child.status !== 0 && child.status !== 1) throw new Error(`entente diff failed: ${child.stderr}`);
    const base = await time(() => loadSpec(files[i]));
    const revision = await time(() => loadSpec(files[i + 1]));
    loads[0].push(base.ms);
    loads[1].push(revision.ms);
    const compared = await time(() => diffSpecs(base.result.document, revision.result.document));
    compares.push(compared.ms);
    findings = compared.result.length;
  }
  console.log(
    `| ghes-${VERSIONS[i]} → ghes-${VERSIONS[i + 1]} | ${ms(median(cli))} | ${ms(median(loads[0]))} | ${ms(median(loads[1]))} | ${ms(median(compares))} | ${findings} |`,
  );
}
