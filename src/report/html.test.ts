import { describe, expect, it } from 'vitest';
import { badge } from './badge.js';
import { html } from './html.js';

describe('html', () => {
  it('escapes every interpolated value, in text and in attributes, and nests markup as is', () => {
    const hostile = `"><script>alert('x')</script>&`;
    const inner = html`<b>${hostile}</b>`;
    expect(html`<a title="${hostile}">${inner}${[hostile, 1, null, undefined, false]}</a>`.text).toBe(
      '<a title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;"><b>&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</b>&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;1</a>',
    );
  });

  it('escapes badge text', () => {
    expect(badge('<x>', 'a&b', '#000')).toContain('<text x="20.5" y="14">&lt;x&gt;</text>');
  });
});
