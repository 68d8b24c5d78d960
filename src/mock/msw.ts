/**
 * msw 2 request handlers around a mock handler, for in-process interception
 * with `setupServer` (no port): the same routing, validation and responses as
 * the node server.
 */
import { type HttpHandler, http } from 'msw';
import { InputError } from '../errors.js';
import type { MockHandler } from './handler.js';

/** Handlers for every request under `baseUrl` (e.g. `https://castles.test`). */
export function createMswHandlers(handler: MockHandler, options: { baseUrl: string }): HttpHandler[] {
  let base: URL;
  try {
    base = new URL(options.baseUrl);
  } catch {
    throw new InputError(
      'input.base-url',
      `baseUrl: ${JSON.stringify(options.baseUrl)} is not an absolute URL`,
      {
        details: [{ where: 'baseUrl', message: 'expected an absolute URL such as https://castles.test' }],
      },
    );
  }
  const prefix = `${base.origin}${base.pathname.replace(/\/$/, '')}`;
  return [http.all(`${prefix}/*`, ({ request }) => handler.handle(request))];
}
