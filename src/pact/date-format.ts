/**
 * Pact's date, time and datetime matchers take a format written the Java way
 * (`yyyy-MM-dd'T'HH:mm:ss.SSSX`, DateTimeFormatter / SimpleDateFormat
 * letters). A value matches when it has that shape: each field is checked
 * for its digits and range (months 01–12, hours 00–23, …), not against a
 * calendar (`2024-02-31` has the shape of a date).
 */

/** Thrown for a format letter this module does not know: the rule is then reported as unsupported. */
export class UnsupportedDateFormat extends Error {}

const TWO_DIGIT_RANGES: Record<string, string> = {
  M: '(?:0[1-9]|1[0-2])',
  d: '(?:0[1-9]|[12]\\d|3[01])',
  H: '(?:[01]\\d|2[0-3])',
  k: '(?:0[1-9]|1\\d|2[0-4])',
  K: '(?:0\\d|1[01])',
  h: '(?:0[1-9]|1[0-2])',
  m: '[0-5]\\d',
  s: '(?:[0-5]\\d|60)',
};

function field(letter: string, count: number): string {
  switch (letter) {
    case 'y':
    case 'u':
    case 'Y':
      return count === 2 ? '\\d{2}' : count >= 4 ? `\\d{${count}}` : '\\d+';
    case 'M':
    case 'L':
      if (count === 3) return '[A-Za-z]{3}';
      if (count >= 4) return '[A-Za-z]+';
      return count === 2 ? TWO_DIGIT_RANGES.M! : '(?:1[0-2]|[1-9])';
    case 'd':
    case 'H':
    case 'k':
    case 'K':
    case 'h':
    case 'm':
    case 's':
      return count >= 2 ? TWO_DIGIT_RANGES[letter]! : '\\d{1,2}';
    case 'D':
      return count >= 3 ? '\\d{3}' : '\\d{1,3}';
    case 'S':
      return `\\d{${count}}`;
    case 'n':
      return '\\d+';
    case 'a':
      return '(?:AM|PM|am|pm)';
    case 'E':
      return count >= 4 ? '[A-Za-z]+' : '[A-Za-z]{3}';
    case 'G':
      return '(?:AD|BC)';
    case 'X':
      if (count === 1) return '(?:Z|[+-]\\d{2}(?:\\d{2})?)';
      return count === 2 || count === 4 ? '(?:Z|[+-]\\d{4})' : '(?:Z|[+-]\\d{2}:\\d{2})';
    case 'x':
      if (count === 1) return '[+-]\\d{2}(?:\\d{2})?';
      return count === 2 || count === 4 ? '[+-]\\d{4}' : '[+-]\\d{2}:\\d{2}';
    case 'Z':
      return count >= 5 ? '(?:Z|[+-]\\d{2}:\\d{2})' : '[+-]\\d{4}';
    case 'z':
      return '(?:[A-Z]{2,5}|[A-Za-z_]+/[A-Za-z_]+)';
    case 'V':
      return '[A-Za-z_]+(?:/[A-Za-z_+-]+)*';
    default:
      throw new UnsupportedDateFormat(`format letter '${letter}' is not supported`);
  }
}

const escapeLiteral = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** The regular expression (anchored) for a Java date/time format; UnsupportedDateFormat otherwise. */
export function dateFormatRegExp(format: string): RegExp {
  let source = '';
  let optionalDepth = 0;
  let i = 0;
  while (i < format.length) {
    const char = format[i]!;
    if (char === "'") {
      if (format[i + 1] === "'") {
        source += "'";
        i += 2;
        continue;
      }
      const end = format.indexOf("'", i + 1);
      if (end < 0) throw new UnsupportedDateFormat(`unterminated quote in ${JSON.stringify(format)}`);
      source += escapeLiteral(format.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    if (char === '[') {
      source += '(?:';
      optionalDepth += 1;
      i += 1;
      continue;
    }
    if (char === ']' && optionalDepth > 0) {
      source += ')?';
      optionalDepth -= 1;
      i += 1;
      continue;
    }
    if (/[A-Za-z]/.test(char)) {
      let count = 1;
      while (format[i + count] === char) count += 1;
      source += field(char, count);
      i += count;
      continue;
    }
    source += escapeLiteral(char);
    i += 1;
  }
  if (optionalDepth > 0) throw new UnsupportedDateFormat(`unbalanced '[' in ${JSON.stringify(format)}`);
  return new RegExp(`^${source}$`);
}

/** ISO 8601 shapes used when a rule gives no format. */
export const ISO_DEFAULTS = {
  date: /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/,
  time: /^(?:[01]\d|2[0-3]):[0-5]\d(?::(?:[0-5]\d|60)(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/,
  datetime:
    /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])[T ](?:[01]\d|2[0-3]):[0-5]\d(?::(?:[0-5]\d|60)(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/,
} as const;
