/**
 * Orders strings by their UTF-16 code units: the same order on every machine.
 * `localeCompare` follows the user's locale (so a list, or a stored record's
 * order, could differ between a laptop and CI), and its first call loads ICU's
 * collation data, about 20 ms of a short command's start.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
