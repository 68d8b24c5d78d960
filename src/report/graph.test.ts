import { describe, expect, it } from 'vitest';
import { layoutGraph } from './graph.js';

describe('layoutGraph', () => {
  it('puts consumers left of their providers and keeps every node apart', () => {
    const layout = layoutGraph(
      ['web', 'mobile', 'orders', 'stock', 'auth'],
      [
        { consumer: 'web', provider: 'orders', verdict: 'yes' },
        { consumer: 'mobile', provider: 'orders', verdict: 'no' },
        { consumer: 'orders', provider: 'stock', verdict: 'unknown' },
        { consumer: 'web', provider: 'auth', verdict: 'yes' },
      ],
    );
    const at = new Map(layout.nodes.map((n) => [n.service, n]));
    for (const edge of layout.edges) expect(edge.from.column).toBeLessThan(edge.to.column);
    expect(at.get('web')!.column).toBe(0);
    expect(at.get('stock')!.column).toBe(2);
    const positions = new Set(layout.nodes.map((n) => `${n.x},${n.y}`));
    expect(positions.size).toBe(5);
    for (const n of layout.nodes) {
      expect(n.x + 168).toBeLessThanOrEqual(layout.width);
      expect(n.y + 20).toBeLessThanOrEqual(layout.height);
    }
  });

  it('lays out a cycle without looping, and ignores edges to unknown services', () => {
    const layout = layoutGraph(
      ['a', 'b'],
      [
        { consumer: 'a', provider: 'b', verdict: 'yes' },
        { consumer: 'b', provider: 'a', verdict: 'yes' },
        { consumer: 'a', provider: 'ghost', verdict: 'no' },
      ],
    );
    expect(layout.nodes).toHaveLength(2);
    expect(layout.edges).toHaveLength(2);
  });
});
