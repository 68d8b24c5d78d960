/**
 * `entente --help` as main() writes it (rootHelpText), plain and colored, computed when the
 * CLI bundle is built (scripts/bundle-cli.mjs puts the text in this module's
 * place) so that start.ts answers it without loading clipanion and every
 * command. Undefined here: main() computes it.
 */
export const rootHelp: { plain: string; colored: string } | undefined = undefined;
