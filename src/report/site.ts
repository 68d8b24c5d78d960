/**
 * The report, pure: what was read from the contracts repository in, every
 * file of the static site out (path → content). No I/O, no clock: the time
 * shown is passed in.
 */
import type { Verdict } from '../deploy/verdict.js';
import type { DeploymentRecord, FixtureRecord } from '../model/records.js';
import { compareText } from '../util/compare-text.js';
import { SCRIPT, STYLE } from './assets.js';
import { environmentBadge, serviceBadge } from './badge.js';
import { type GraphEdge, layoutGraph, NODE_HEIGHT, NODE_WIDTH } from './graph.js';
import { cspHash, html, type Markup, trusted } from './html.js';
import type { ReportCell, ReportData, ReportMatrix } from './read.js';

export interface SiteOptions {
  /** When the report was made (ISO). */
  generatedAt: string;
  /**
   * The contracts repository's web address (e.g. https://github.com/acme/contracts),
   * for links to commits and review branches. Without it, names are shown unlinked.
   */
  webUrl?: string;
}

export type SiteFiles = Map<string, string>;

const ACTIVITY_SHOWN = 30;
const LABEL_CHARS = 24;

export function buildSite(data: ReportData, options: SiteOptions): SiteFiles {
  const files: SiteFiles = new Map();
  const context = new SiteContext(data, options);
  files.set('index.html', context.page('Overview', '', overview(context)));
  files.set('matrix.html', context.page('Matrix', '', matrixIndex(context)));
  for (const matrix of data.matrices) {
    files.set(
      `matrix/${matrixSlug(matrix)}.html`,
      context.page(`Matrix: ${matrixTitle(matrix)}`, '../', matrixPage(matrix)),
    );
  }
  files.set('environments.html', context.page('Environments', '', environmentsPage(context)));
  files.set('fixtures.html', context.page('Fixtures waiting for approval', '', fixturesPage(context)));
  files.set('breaking.html', context.page('Breaking changes', '', breakingPage(context)));
  for (const service of data.services) {
    files.set(
      `services/${service.service}.html`,
      context.page(service.service, '../', servicePage(context, service.service)),
    );
    files.set(
      `badges/services/${service.service}.svg`,
      serviceBadge(service.service, context.serviceVerdict(service.service)),
    );
  }
  for (const environment of data.environments) {
    const summary = context.environmentSummary(environment.environment);
    files.set(
      `badges/environments/${environment.environment}.svg`,
      environmentBadge(environment.environment, summary.verdict),
    );
  }
  return files;
}

function matrixSlug(matrix: ReportMatrix): string {
  return matrix.environment === null ? 'latest' : `environment-${matrix.environment}`;
}

function matrixTitle(matrix: ReportMatrix): string {
  return matrix.environment === null ? 'latest versions on main branches' : matrix.environment;
}

const SEVERITY: Record<Verdict, number> = { yes: 0, unknown: 1, no: 2 };

function worst(verdicts: Verdict[]): Verdict {
  return verdicts.reduce<Verdict>((w, v) => (SEVERITY[v] > SEVERITY[w] ? v : w), 'yes');
}

class SiteContext {
  readonly edges: GraphEdge[];
  private readonly latest: ReportMatrix;

  constructor(
    readonly data: ReportData,
    readonly options: SiteOptions,
  ) {
    this.latest = data.matrices.find((m) => m.environment === null) ?? {
      environment: null,
      deployed: [],
      cells: [],
    };
    const edges = new Map<string, GraphEdge>();
    // The latest pair decides an edge's colour; pairs seen only in environments fill in the rest.
    for (const matrix of [this.latest, ...data.matrices.filter((m) => m.environment !== null)]) {
      for (const cell of matrix.cells) {
        const key = `${cell.consumer}\u0000${cell.provider}`;
        const known = edges.get(key);
        if (!known)
          edges.set(key, { consumer: cell.consumer, provider: cell.provider, verdict: cell.verdict });
        else if (
          matrix.environment !== null &&
          !this.latest.cells.some((c) => c.consumer === cell.consumer && c.provider === cell.provider)
        )
          known.verdict = worst([known.verdict, cell.verdict]);
      }
    }
    for (const service of data.services) {
      for (const version of service.versions) {
        for (const provider of version.contracts) {
          const key = `${service.service}\u0000${provider}`;
          if (!edges.has(key)) edges.set(key, { consumer: service.service, provider, verdict: 'unknown' });
        }
      }
    }
    this.edges = [...edges.values()];
  }

  serviceVerdict(service: string): Verdict | 'none' {
    const verdicts = this.edges
      .filter((e) => e.consumer === service || e.provider === service)
      .map((e) => e.verdict);
    return verdicts.length === 0 ? 'none' : worst(verdicts);
  }

  /** Whether every pair deployed together in an environment is compatible. */
  environmentSummary(environment: string): { verdict: Verdict | 'none'; cells: ReportCell[] } {
    const matrix = this.data.matrices.find((m) => m.environment === environment);
    if (!matrix) return { verdict: 'none', cells: [] };
    const deployed = new Set(matrix.deployed);
    const cells = matrix.cells.filter(
      (c) =>
        deployed.has(`${c.consumer}@${c.consumerVersion}`) &&
        deployed.has(`${c.provider}@${c.providerVersion}`),
    );
    return { verdict: cells.length === 0 ? 'none' : worst(cells.map((c) => c.verdict)), cells };
  }

  commitLink(commit: string | undefined, prefix: string): Markup {
    if (!commit) return html``;
    const short = commit.slice(0, 12);
    return this.options.webUrl && /^[0-9a-f]{7,64}$/.test(commit)
      ? html`<a class="mono" href="${`${this.options.webUrl}/commit/${commit}`}">${short}</a>`
      : html`<span class="mono">${prefix}${short}</span>`;
  }

  branchLink(branch: string): Markup {
    return this.options.webUrl
      ? html`<a class="mono" href="${`${this.options.webUrl}/tree/${branch.split('/').map(encodeURIComponent).join('/')}`}">${branch}</a>`
      : html`<code>${branch}</code>`;
  }

  page(title: string, root: string, body: Markup): string {
    const nav: [string, string][] = [
      ['index.html', 'Overview'],
      ['matrix.html', 'Matrix'],
      ['environments.html', 'Environments'],
      ['fixtures.html', `Fixtures (${this.data.drafts.length})`],
      ['breaking.html', `Breaking changes (${this.data.breaking.length})`],
    ];
    const csp = `default-src 'none'; img-src 'self' data:; style-src ${cspHash(STYLE)}; script-src ${cspHash(SCRIPT)}; base-uri 'none'; form-action 'none'`;
    return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${title} — entente report</title>
<style>${trusted(STYLE)}</style>
</head>
<body>
<header><span class="brand">entente</span>
<nav>${nav.map(([href, label]) => html`<a href="${root + href}">${label}</a>`)}</nav>
<span class="muted">${this.data.location} · ${this.data.branch}${this.data.commit ? ` @ ${this.data.commit.slice(0, 12)}` : ''} · ${this.options.generatedAt}</span>
</header>
<main>
<h1>${title}</h1>
${body}
</main>
<script>${trusted(SCRIPT)}</script>
</body>
</html>
`.text;
  }
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function verdictBadge(verdict: string): Markup {
  return html`<span class="${`verdict verdict-${verdict}`}">${verdict}</span>`;
}

function serviceLink(service: string, root: string): Markup {
  return html`<a href="${`${root}services/${service}.html`}">${service}</a>`;
}

function overview(context: SiteContext): Markup {
  const { data } = context;
  const layout = layoutGraph(
    data.services.map((s) => s.service),
    context.edges,
  );
  const counts: [string, number][] = [
    ['services', data.services.length],
    ['consumer → provider links', context.edges.length],
    ['failing links', context.edges.filter((e) => e.verdict === 'no').length],
    ['environments', data.environments.length],
    ['fixtures waiting', data.drafts.length],
    ['breaking changes', data.breaking.reduce((n, b) => n + b.changes.length, 0)],
  ];
  const label = (s: string) => (s.length > LABEL_CHARS ? `${s.slice(0, LABEL_CHARS - 1)}…` : s);
  const graph = html`<svg class="graph" id="graph" data-filter-target xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="${`0 0 ${layout.width} ${layout.height}`}" role="img" aria-label="Service network: consumers on the left call providers on their right">
${layout.edges.map((e) => {
  const x1 = e.from.x + NODE_WIDTH;
  const y1 = e.from.y + NODE_HEIGHT / 2;
  const x2 = e.to.x;
  const y2 = e.to.y + NODE_HEIGHT / 2;
  const bend = Math.max(30, (x2 - x1) / 2);
  const d =
    e.to.column > e.from.column
      ? `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`
      : `M${x1},${y1} C${x1 + 60},${y1} ${x1 + 60},${y2} ${e.to.x + NODE_WIDTH},${y2}`;
  return html`<path class="${`edge edge-${e.verdict}`}" d="${d}" data-from="${e.consumer}" data-to="${e.provider}" data-verdict="${e.verdict}" data-search="${`${e.consumer} ${e.provider}`}"><title>${`${e.consumer} → ${e.provider}: ${e.verdict}`}</title></path>
`;
})}${layout.nodes.map(
  (
    n,
  ) => html`<a class="node" href="${`services/${n.service}.html`}" data-service="${n.service}" data-search="${n.service}"><title>${n.service}</title><rect x="${n.x}" y="${n.y}" width="${NODE_WIDTH}" height="${NODE_HEIGHT}"></rect><text x="${n.x + 6}" y="${n.y + 14}">${label(n.service)}</text></a>
`,
)}</svg>`;

  return html`<div class="counts">${counts.map(([name, n]) => html`<div><b>${n}</b>${name}</div>`)}</div>
<h2>Service network</h2>
<div class="tools"><input type="search" placeholder="Find a service…" data-filter="graph" aria-label="Find a service in the graph">
<select data-verdict-filter="graph" aria-label="Show links by verdict"><option value="">every link</option><option value="no">failing links</option><option value="unknown">unknown links</option><option value="yes">compatible links</option></select>
<span class="legend"><span class="verdict verdict-yes">compatible</span><span class="verdict verdict-no">failing</span><span class="verdict verdict-unknown">unknown</span></span></div>
<p class="muted">Consumers on the left, the providers they call to their right. A link's colour is the verdict for the latest versions on a main branch, else the worst verdict in an environment.</p>
<div class="graph-box">${graph}</div>
<h2>Services</h2>
<div class="tools"><input type="search" placeholder="Filter services…" data-filter="services-table" aria-label="Filter services"></div>
<table><thead><tr><th>Service</th><th>Latest version</th><th>Provides to</th><th>Consumes</th><th>Contracts</th></tr></thead>
<tbody id="services-table" data-filter-target>${data.services.map((s) => {
    const latest = s.versions[0];
    const consumers = context.edges.filter((e) => e.provider === s.service).length;
    const providers = context.edges.filter((e) => e.consumer === s.service).length;
    const verdict = context.serviceVerdict(s.service);
    return html`<tr data-search="${s.service}"><td>${serviceLink(s.service, '')}</td><td>${latest ? html`<span class="mono">${latest.version}</span> <span class="muted">${latest.branch ?? ''}</span>` : '-'}</td><td>${plural(consumers, 'consumer')}</td><td>${plural(providers, 'provider')}</td><td>${verdict === 'none' ? html`<span class="muted">none</span>` : verdictBadge(verdict)}</td></tr>`;
  })}</tbody></table>
<h2>Recent activity</h2>
${activity(context)}`;
}

interface ActivityItem {
  at: string;
  text: Markup;
}

function activity(context: SiteContext): Markup {
  const { data } = context;
  const items: ActivityItem[] = [];
  for (const s of data.services) {
    for (const v of s.versions) {
      const what = [
        v.spec ? 'a spec' : '',
        v.contracts.length ? `contracts with ${v.contracts.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join(' and ');
      items.push({
        at: v.createdAt,
        text: html`${serviceLink(s.service, '')} <span class="mono">${v.version}</span> published${what ? ` ${what}` : ''}${v.branch ? html` from <code>${v.branch}</code>` : ''}`,
      });
    }
  }
  for (const v of data.verifications) {
    items.push({
      at: v.verifiedAt,
      text: html`${serviceLink(v.provider, '')} <span class="mono">${v.providerVersion}</span> verified ${serviceLink(v.consumer, '')}'s contract: ${verdictBadge(v.success ? 'passed' : 'failed')}`,
    });
  }
  for (const d of data.deployments) {
    for (const event of d.history) {
      items.push({
        at: event.at,
        text: html`${serviceLink(d.service, '')} <span class="mono">${event.version}</span> ${event.action === 'deploy' ? 'deployed to' : 'undeployed from'} <b>${d.environment}</b>`,
      });
    }
  }
  items.sort((a, b) => compareText(b.at, a.at));
  if (items.length === 0) return html`<p class="muted">Nothing recorded yet.</p>`;
  return html`<table><tbody>${items.slice(0, ACTIVITY_SHOWN).map((i) => html`<tr><td class="mono muted">${i.at}</td><td>${i.text}</td></tr>`)}</tbody></table>`;
}

function matrixIndex(context: SiteContext): Markup {
  return html`<p>Consumer versions × provider versions with a contract between them: the verification result, the static check against the provider version's spec, and the verdict can-i-deploy gives the pair under the repository's policy.</p>
<table><thead><tr><th>View</th><th>Pairs</th><th>Failing</th><th>Unknown</th></tr></thead><tbody>
${context.data.matrices.map(
  (m) =>
    html`<tr><td><a href="${`matrix/${matrixSlug(m)}.html`}">${matrixTitle(m)}</a></td><td>${m.cells.length}</td><td>${m.cells.filter((c) => c.verdict === 'no').length}</td><td>${m.cells.filter((c) => c.verdict === 'unknown').length}</td></tr>`,
)}</tbody></table>`;
}

function json(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value, null, 1);
}

function cellDetails(cell: ReportCell): Markup {
  const rows = [
    ...cell.failures.flatMap((f) =>
      f.mismatches.length === 0
        ? [html`<tr><td>${f.operation}</td><td></td><td colspan="2">${f.error ?? 'failed'}</td></tr>`]
        : f.mismatches.map(
            (m) =>
              html`<tr><td>${f.operation}${f.description ? html`<br><span class="muted">${f.description}</span>` : ''}</td><td><code class="json-path">${m.path}</code><br><span class="muted">${m.message}</span></td><td><pre>${json(m.expected)}</pre></td><td><pre>${json(m.actual)}</pre></td></tr>`,
          ),
    ),
    ...cell.staticFindings.map(
      (f) =>
        html`<tr><td>${f.operation} <span class="muted">(static)</span></td><td><code class="json-path">${f.path ?? ''}</code><br><span class="muted">${f.message}</span></td><td><pre>${json(f.expected)}</pre></td><td><pre>${json(f.actual)}</pre></td></tr>`,
    ),
  ];
  if (rows.length === 0) return html``;
  return html`<details class="failure-detail"><summary>${rows.length} ${rows.length === 1 ? 'problem' : 'problems'}</summary><table><thead><tr><th>Interaction</th><th>JSON path</th><th>Expected</th><th>Actual</th></tr></thead><tbody>${rows}</tbody></table></details>`;
}

function matrixPage(matrix: ReportMatrix): Markup {
  const deployed = new Set(matrix.deployed);
  const mark = (service: string, version: string) => (deployed.has(`${service}@${version}`) ? ' *' : '');
  return html`<p>${matrix.environment === null ? 'Each consumer’s latest version on a main branch against each provider’s.' : html`Versions deployed in <b>${matrix.environment}</b> (marked *) and each service’s latest version on a main branch.`}</p>
<div class="tools"><input type="search" placeholder="Filter by service or version…" data-filter="matrix" aria-label="Filter the matrix">
<select data-verdict-filter="matrix" aria-label="Show pairs by verdict"><option value="">every verdict</option><option value="no">no</option><option value="unknown">unknown</option><option value="yes">yes</option></select></div>
<table class="matrix"><thead><tr><th>Consumer</th><th>Provider</th><th>Verification</th><th>Static</th><th>Verdict</th><th>Why</th></tr></thead>
<tbody id="matrix" data-filter-target>${matrix.cells.map(
    (c) =>
      html`<tr data-search="${`${c.consumer}@${c.consumerVersion} ${c.provider}@${c.providerVersion}`}" data-verdict="${c.verdict}"><td>${serviceLink(c.consumer, '../')} <span class="mono">${c.consumerVersion}${mark(c.consumer, c.consumerVersion)}</span></td><td>${serviceLink(c.provider, '../')} <span class="mono">${c.providerVersion}${mark(c.provider, c.providerVersion)}</span></td><td>${verdictBadge(c.verification)}${c.verifiedAt ? html`<br><span class="muted mono">${c.verifiedAt}</span>` : ''}</td><td>${verdictBadge(c.static)}</td><td>${verdictBadge(c.verdict)}</td><td>${c.reason}${cellDetails(c)}</td></tr>`,
  )}</tbody></table>
${matrix.cells.length === 0 ? html`<p class="muted">No pairs.</p>` : ''}`;
}

function environmentsPage(context: SiteContext): Markup {
  const { data } = context;
  if (data.environments.length === 0)
    return html`<p class="muted">No deployment recorded yet (entente record-deployment).</p>`;
  return html`${data.environments.map((e) => {
    const summary = context.environmentSummary(e.environment);
    const problems = summary.cells.filter((c) => c.verdict !== 'yes');
    return html`<h2 id="${`environment-${e.environment}`}">${e.environment} ${verdictBadge(summary.verdict === 'none' ? 'unknown' : summary.verdict)}</h2>
<p>${summary.cells.length === 0 ? 'No deployed pair has a contract between them.' : problems.length === 0 ? `Every deployed pair (${summary.cells.length}) is compatible.` : `${problems.length} of ${summary.cells.length} deployed pairs are not known to be compatible.`} <a href="${`matrix/environment-${e.environment}.html`}">Matrix</a> · badge: <code>${`badges/environments/${e.environment}.svg`}</code></p>
<table><thead><tr><th>Service</th><th>Deployed versions</th><th>Changes recorded</th></tr></thead><tbody>${e.services.map(
      (s) =>
        html`<tr><td>${serviceLink(s.service, '')}</td><td class="mono">${s.versions.join(', ') || '(none)'}</td><td>${s.history}</td></tr>`,
    )}</tbody></table>
${problems.length > 0 ? html`<table><thead><tr><th>Consumer</th><th>Provider</th><th>Verdict</th><th>Why</th></tr></thead><tbody>${problems.map((c) => html`<tr><td>${c.consumer} <span class="mono">${c.consumerVersion}</span></td><td>${c.provider} <span class="mono">${c.providerVersion}</span></td><td>${verdictBadge(c.verdict)}</td><td>${c.reason}${cellDetails(c)}</td></tr>`)}</tbody></table>` : ''}`;
  })}`;
}

function fixturesPage(context: SiteContext): Markup {
  const drafts = context.data.drafts;
  if (drafts.length === 0) return html`<p class="muted">No fixture is waiting for approval.</p>`;
  const groups = new Map<string, FixtureRecord[]>();
  for (const f of drafts) {
    const key = `${f.service ?? ''}\u0000${f.createdFrom?.testRun ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return html`<p>Drafts on the contracts branch. Approving opens a pull request from a review branch; mocks serve a fixture once that is merged.</p>
<div class="tools"><input type="search" placeholder="Filter fixtures…" data-filter="fixtures" aria-label="Filter fixtures"></div>
<div id="fixtures" data-filter-target>${[...groups.values()].map((group) => {
    const first = group[0]!;
    const run = first.createdFrom?.testRun;
    const approve = run
      ? `entente fixtures approve --test-run ${run}`
      : `entente fixtures approve ${group.map((f) => f.id).join(' ')}`;
    return html`<section data-search="${`${first.service ?? ''} ${run ?? ''} ${group.map((f) => f.operation).join(' ')}`}">
<h2>${first.service ? serviceLink(first.service, '') : '(no service)'} ${run ? html`<span class="muted">test run</span> <code>${run}</code>` : ''}</h2>
<p>${group.length} ${group.length === 1 ? 'draft' : 'drafts'}${first.createdFrom?.commit ? html` from commit ${context.commitLink(first.createdFrom.commit, '')}` : ''}. ${run ? html`Review branch: ${context.branchLink(reviewBranchName(run))} · ` : ''}approve with <code>${approve}</code></p>
<table><thead><tr><th>Operation</th><th>Request</th><th>Status</th><th>Source</th><th>Created</th></tr></thead><tbody>${group.map(
      (f) =>
        html`<tr><td>${f.operation}</td><td class="mono">${f.data.request.method} ${f.data.request.path}</td><td>${f.data.response.status}</td><td>${f.source}</td><td class="mono muted">${f.createdAt ?? f.createdFrom?.timestamp ?? ''}</td></tr>`,
    )}</tbody></table></section>`;
  })}</div>`;
}

/** The branch `entente fixtures approve --test-run RUN` proposes (see fixtures/review.ts reviewBranch). */
function reviewBranchName(testRun: string): string {
  const safe = testRun
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '')
    .replace(/\.{2,}/g, '.');
  return `entente/fixtures/approve-${safe || 'fixtures'}`;
}

function breakingPage(context: SiteContext): Markup {
  const { breaking } = context.data;
  if (breaking.length === 0)
    return html`<p class="muted">No breaking change between any provider's two latest specs.</p>`;
  return html`<p>Between each provider's two newest distinct specs, checked generically and against the contracts of its consumers deployed somewhere or latest on a main branch (as <code>entente diff</code> does).</p>
${breaking.map(
  (
    b,
  ) => html`<h2>${serviceLink(b.provider, '')} <span class="mono">${b.base}</span> → <span class="mono">${b.revision}</span></h2>
<p>Consumers hurt: ${b.hurt.length > 0 ? html`<b class="hurt">${b.hurt.join(', ')}</b>` : 'none'} · untouched: ${b.untouched.join(', ') || 'none'}</p>
<table><thead><tr><th>Rule</th><th>Where</th><th>Change</th><th>Consumers it breaks</th></tr></thead><tbody>${b.changes.map(
    ({ finding, breaks }) =>
      html`<tr><td><code>${finding.rule}</code></td><td class="mono">${finding.location}</td><td>${finding.message}</td><td>${breaks.join(', ')}</td></tr>`,
  )}</tbody></table>`,
)}`;
}

function servicePage(context: SiteContext, name: string): Markup {
  const { data } = context;
  const service = data.services.find((s) => s.service === name)!;
  const spec = data.specs.find((s) => s.service === name);
  const consumers = context.edges.filter((e) => e.provider === name);
  const providers = context.edges.filter((e) => e.consumer === name);
  const deployments = data.deployments.filter((d: DeploymentRecord) => d.service === name);
  return html`<p>Badge for a README: <code>${`![contracts](badges/services/${name}.svg)`}</code></p>
<h2>Providers it calls</h2>
${providers.length === 0 ? html`<p class="muted">None.</p>` : html`<ul>${providers.map((e) => html`<li>${serviceLink(e.provider, '../')} ${verdictBadge(e.verdict)}</li>`)}</ul>`}
<h2>Consumers calling it</h2>
${consumers.length === 0 ? html`<p class="muted">None.</p>` : html`<ul>${consumers.map((e) => html`<li>${serviceLink(e.consumer, '../')} ${verdictBadge(e.verdict)}</li>`)}</ul>`}
<h2>Deployments</h2>
${deployments.length === 0 ? html`<p class="muted">Not deployed anywhere.</p>` : html`<table><thead><tr><th>Environment</th><th>Deployed now</th><th>Since</th></tr></thead><tbody>${deployments.map((d) => html`<tr><td><a href="${`../environments.html#environment-${d.environment}`}">${d.environment}</a></td><td class="mono">${d.deployed.map((v) => v.version).join(', ') || '(none)'}</td><td class="mono muted">${d.deployed.at(-1)?.deployedAt ?? ''}</td></tr>`)}</tbody></table>`}
<h2>Spec</h2>
${
  spec
    ? html`<p>${spec.title ? html`<b class="spec-title">${spec.title}</b> · ` : ''}OpenAPI ${spec.openapi}, version <span class="mono">${spec.version}</span></p>${spec.description ? html`<p class="spec-description">${spec.description}</p>` : ''}
<table><thead><tr><th>Method</th><th>Path</th><th>Operation</th><th>Summary</th></tr></thead><tbody>${spec.operations.map((o) => html`<tr><td class="mono">${o.method}</td><td class="mono">${o.path}</td><td class="mono">${o.operationId ?? ''}</td><td>${o.summary ?? ''}</td></tr>`)}</tbody></table>`
    : html`<p class="muted">No spec published.</p>`
}
<h2>Versions</h2>
<div class="tools"><input type="search" placeholder="Filter versions…" data-filter="versions" aria-label="Filter versions"></div>
<table><thead><tr><th>Version</th><th>Branch</th><th>Commit</th><th>Date</th><th>Spec</th><th>Contracts with</th><th>Deployed to</th></tr></thead>
<tbody id="versions" data-filter-target>${service.versions.map(
    (v) =>
      html`<tr data-search="${`${v.version} ${v.branch ?? ''} ${v.commit ?? ''}`}"><td class="mono">${v.version}</td><td><code>${v.branch ?? ''}</code></td><td>${context.commitLink(v.commit, '')}</td><td class="mono muted">${v.createdAt}</td><td class="mono">${v.spec ? `${v.spec.openapi} ${v.spec.hash.slice(0, 8)}` : ''}</td><td>${v.contracts.map((c, i) => html`${i ? ', ' : ''}${serviceLink(c, '../')}`)}</td><td>${v.deployedTo.join(', ')}</td></tr>`,
  )}</tbody></table>`;
}
