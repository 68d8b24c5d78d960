/** `entente report`: read the contracts repository, build the site, write it. */
import type { Snapshot } from '../store/snapshot.js';
import { readReportData } from './read.js';
import { buildSite } from './site.js';
import { writeSite } from './write.js';

export interface WriteReportOptions {
  snapshot: Snapshot;
  /** The folder the site is written to. */
  out: string;
  /** How the contracts repository is named on the pages. */
  location: string;
  branch: string;
  generatedAt: string;
  webUrl?: string;
}

export interface WriteReportResult {
  index: string;
  files: number;
  bytes: number;
  services: number;
}

export async function writeReport(options: WriteReportOptions): Promise<WriteReportResult> {
  const data = await readReportData(options.snapshot, { location: options.location, branch: options.branch });
  const files = buildSite(data, {
    generatedAt: options.generatedAt,
    ...(options.webUrl ? { webUrl: options.webUrl } : {}),
  });
  const written = await writeSite(options.out, files);
  return {
    index: `${options.out.replace(/\/$/, '')}/index.html`,
    ...written,
    services: data.services.length,
  };
}
