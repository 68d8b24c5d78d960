import swagger2openapi from 'swagger2openapi';
import { InputError } from '../errors.js';
import type { OpenApiDocument } from './document.js';

/**
 * Converts a bundled, schema-valid Swagger 2.0 document to OpenAPI 3.0 with
 * swagger2openapi. Minor defects the converter knows how to repair are
 * repaired (`patch`); anything else is an InputError naming the file.
 */
export async function convertSwagger2(
  document: Record<string, unknown>,
  file: string,
): Promise<OpenApiDocument> {
  try {
    const result = await swagger2openapi.convertObj(
      structuredClone(document) as unknown as Parameters<typeof swagger2openapi.convertObj>[0],
      {
        patch: true,
        warnOnly: true,
        resolve: false,
      },
    );
    return result.openapi as unknown as OpenApiDocument;
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new InputError(
      'input.swagger-conversion',
      `${file}: this Swagger 2.0 document could not be converted to OpenAPI 3.0: ${reason}`,
      { details: [{ where: file, message: reason }], cause },
    );
  }
}
