/** Ajv's standalone code (CommonJS) exporting `precompiledValidators`: each schema's JSON text → its validator. */
export function precompiledValidatorsSource(schemas: object[], options: object): string;
