/**
 * The schema of a pending interaction file, in a module of its own: the CLI
 * bundle carries it as JSON (scripts/bundle-cli.mjs), without TypeBox.
 */
import { Type } from '@sinclair/typebox';
import { namePatterns } from '../model/names.js';
import { Interaction } from '../model/records.js';

/** One recorded interaction waiting in the consumer's pending folder. */
export const PendingInteraction = Type.Object(
  {
    consumer: Type.String({ pattern: namePatterns.service.source }),
    consumerVersion: Type.String({ pattern: namePatterns.version.source }),
    provider: Type.String({ pattern: namePatterns.service.source }),
    /** The provider version whose published spec the mock served, when it came from the contracts repository. */
    providerVersion: Type.Optional(Type.String({ pattern: namePatterns.version.source })),
    branch: Type.Optional(Type.String()),
    commit: Type.Optional(Type.String()),
    testRun: Type.Optional(Type.String()),
    recordedAt: Type.String({ format: 'date-time' }),
    /** Where the mock's response came from: only generated responses become consumer fixture drafts. */
    responseSource: Type.Union([Type.Literal('fixture'), Type.Literal('example'), Type.Literal('sample')]),
    interaction: Interaction,
  },
  { additionalProperties: false },
);
export type PendingInteraction = typeof PendingInteraction.static;
