/**
 * Shields-style SVG badges for READMEs: a service's contracts and an
 * environment's compatibility. Text is escaped; widths are estimated from
 * character counts (the badges use a monospace-ish fallback, so no font
 * metrics are needed).
 */
import type { Verdict } from '../deploy/verdict.js';
import { html } from './html.js';

const COLOURS: Record<Verdict | 'none', string> = {
  yes: '#1a7f37',
  no: '#cf222e',
  unknown: '#9a6700',
  none: '#6e7781',
};

const SERVICE_TEXT: Record<Verdict | 'none', string> = {
  yes: 'compatible',
  no: 'failing',
  unknown: 'unverified',
  none: 'no contracts',
};

const ENVIRONMENT_TEXT: Record<Verdict | 'none', string> = {
  yes: 'compatible',
  no: 'incompatible',
  unknown: 'unverified',
  none: 'no pairs',
};

const CHAR_WIDTH = 7;
const PADDING = 10;

export function badge(label: string, message: string, colour: string): string {
  const left = label.length * CHAR_WIDTH + PADDING * 2;
  const right = message.length * CHAR_WIDTH + PADDING * 2;
  const width = left + right;
  return html`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${`${label}: ${message}`}"><title>${`${label}: ${message}`}</title><rect width="${left}" height="20" fill="#555"/><rect x="${left}" width="${right}" height="20" fill="${colour}"/><g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle"><text x="${left / 2}" y="14">${label}</text><text x="${left + right / 2}" y="14">${message}</text></g></svg>
`.text;
}

/** The worst verdict among the pairs a service takes part in (latest versions first). */
export function serviceBadge(service: string, verdict: Verdict | 'none'): string {
  return badge(`contracts ${service}`, SERVICE_TEXT[verdict], COLOURS[verdict]);
}

/** Whether every pair deployed together in the environment is compatible. */
export function environmentBadge(environment: string, verdict: Verdict | 'none'): string {
  return badge(environment, ENVIRONMENT_TEXT[verdict], COLOURS[verdict]);
}
