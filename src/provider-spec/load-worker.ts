/**
 * A worker thread's script for `entente diff`: loads one spec file (read,
 * parse, bundle, validate) while the main thread loads the other side, and
 * posts back the bundled document as JSON text with its warnings (one string
 * is cheaper to hand over than a structured clone of the document's object
 * graph), or the error it ended with. See compare-sides.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EntenteError } from '../errors.js';
import { type LoadSpecOptions, loadSpec } from '../openapi/load.js';

export interface LoadWorkerData {
  file: string;
  options: Pick<LoadSpecOptions, 'allowRemoteRefs' | 'lenient'>;
}

export type LoadWorkerMessage =
  | { ok: true; json: string; warnings: string[] }
  | {
      ok: false;
      error: {
        name: string;
        message: string;
        stack?: string;
        code?: string;
        details?: EntenteError['details'];
        hint?: string;
      };
    };

const { file, options } = workerData as LoadWorkerData;
let message: LoadWorkerMessage;
try {
  const loaded = await loadSpec(file, options);
  message = { ok: true, json: JSON.stringify(loaded.document), warnings: loaded.warnings };
} catch (error) {
  message = {
    ok: false,
    error:
      error instanceof EntenteError
        ? {
            name: error.name,
            message: error.message,
            code: error.code,
            details: error.details,
            ...(error.hint === undefined ? {} : { hint: error.hint }),
          }
        : {
            name: error instanceof Error ? error.name : 'Error',
            message: error instanceof Error ? error.message : String(error),
            ...(error instanceof Error && error.stack ? { stack: error.stack } : {}),
          },
  };
}
parentPort?.postMessage(message);
