import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diffRules, RULE_IDS } from './rules.js';
import { renderDiffRulesMarkdown } from './rules-doc.js';

const docsFile = fileURLToPath(new URL('../../../docs/breaking-changes.md', import.meta.url));

describe('the rule registry', () => {
  it('gives every rule a stable dotted ID, a level, a title and a description', () => {
    expect(RULE_IDS.length).toBeGreaterThan(50);
    for (const rule of RULE_IDS) {
      expect(rule).toMatch(/^[a-z]+(\.[a-z-]+)+$/);
      const { level, title, description } = diffRules[rule];
      expect(['error', 'warning', 'info']).toContain(level);
      expect(title).toMatch(/^[A-Zo]/);
      expect(description.length).toBeGreaterThan(20);
    }
  });

  it('documents every rule in docs/breaking-changes.md, generated from the registry', async () => {
    const docs = renderDiffRulesMarkdown();
    for (const rule of RULE_IDS) {
      const row = new RegExp(
        `^\\| \`${rule.replace(/\./g, '\\.')}\` +\\| ${diffRules[rule].level} +\\| \\*\\*`,
        'm',
      );
      expect(docs).toMatch(row);
    }
    await expect(docs).toMatchFileSnapshot(docsFile);
  });
});
