/**
 * The request step of the static check, served by the spec's own request
 * validator (src/openapi/validator.ts): the same validation the mock applies to
 * live requests, applied to a recorded one.
 */
import type { RequestViolation, StaticCheckOptions } from '../contract/static-check.js';
import type { OpenApiDocument } from '../openapi/document.js';
import { specValidators } from '../openapi/validator.js';

/** A `validateRequest` option for checkContractStatically against `spec`. */
export function specRequestValidator(
  spec: OpenApiDocument,
): NonNullable<StaticCheckOptions['validateRequest']> {
  const validators = specValidators(spec);
  return (operation, request, pathParams): RequestViolation[] =>
    validators.validateRequest(operation, request, pathParams).map((violation) => ({
      where: [violation.in, violation.name, violation.pointer].filter(Boolean).join(' '),
      message: violation.message,
    }));
}
