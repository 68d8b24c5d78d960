import type { ValidateFunction } from 'ajv';

/**
 * Validators compiled ahead of time, by the JSON text of their schema. Empty
 * here: the library compiles each schema with Ajv on first use. The CLI bundle
 * (scripts/bundle-cli.mjs) puts Ajv's standalone code for the record and
 * configuration schemas in this module's place, so that a command spends no
 * time compiling them; a schema that is not there is compiled as usual.
 */
export const precompiledValidators: Readonly<Record<string, ValidateFunction>> = {};
