/**
 * The service network laid out at build time, so the page needs no layout
 * library and stays readable at hundreds of services: services in columns by
 * depth (consumers left, the providers they call to their right, services
 * nobody calls at the far left), ordered inside a column to keep edges short.
 * Edges only ever point rightwards or stay in a column when there is a cycle.
 */
import type { Verdict } from '../deploy/verdict.js';
import { compareText } from '../util/compare-text.js';

export interface GraphEdge {
  consumer: string;
  provider: string;
  verdict: Verdict;
}

export interface PlacedNode {
  service: string;
  x: number;
  y: number;
  column: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: (GraphEdge & { from: PlacedNode; to: PlacedNode })[];
}

export const NODE_WIDTH = 168;
export const NODE_HEIGHT = 20;
const COLUMN_GAP = 96;
const ROW_GAP = 6;
const MARGIN = 12;
const ORDERING_SWEEPS = 4;

export function layoutGraph(services: readonly string[], edges: readonly GraphEdge[]): GraphLayout {
  const providersOf = new Map<string, string[]>(services.map((s) => [s, []]));
  const consumersOf = new Map<string, string[]>(services.map((s) => [s, []]));
  for (const edge of edges) {
    if (!providersOf.has(edge.consumer) || !providersOf.has(edge.provider)) continue;
    providersOf.get(edge.consumer)!.push(edge.provider);
    consumersOf.get(edge.provider)!.push(edge.consumer);
  }

  // Height: the longest chain of providers below a service. A cycle counts once.
  const height = new Map<string, number>();
  const visiting = new Set<string>();
  const heightOf = (service: string): number => {
    const known = height.get(service);
    if (known !== undefined) return known;
    if (visiting.has(service)) return 0;
    visiting.add(service);
    const below = providersOf.get(service)!.filter((p) => p !== service);
    const value = below.length === 0 ? 0 : 1 + Math.max(...below.map(heightOf));
    visiting.delete(service);
    height.set(service, value);
    return value;
  };
  const sorted = [...services].sort();
  for (const service of sorted) heightOf(service);
  const maxHeight = Math.max(0, ...height.values());

  const columns: string[][] = Array.from({ length: maxHeight + 1 }, () => []);
  for (const service of sorted) columns[maxHeight - height.get(service)!]!.push(service);

  // Barycentre ordering, sweeping right then left, keeps partners at similar heights.
  const rank = new Map<string, number>();
  const rankColumn = (column: string[]) => {
    column.forEach((s, i) => {
      rank.set(s, i / Math.max(1, column.length - 1));
    });
  };
  for (const column of columns) rankColumn(column);
  const barycentre = (service: string, neighbours: string[]) =>
    neighbours.length === 0
      ? rank.get(service)!
      : neighbours.reduce((sum, n) => sum + rank.get(n)!, 0) / neighbours.length;
  for (let sweep = 0; sweep < ORDERING_SWEEPS; sweep++) {
    const order = sweep % 2 === 0 ? columns.keys() : [...columns.keys()].reverse();
    for (const c of order) {
      const neighbours = (s: string) => (sweep % 2 === 0 ? consumersOf.get(s)! : providersOf.get(s)!);
      const keys = new Map(columns[c]!.map((s) => [s, barycentre(s, neighbours(s))]));
      columns[c]!.sort((a, b) => keys.get(a)! - keys.get(b)! || compareText(a, b));
      rankColumn(columns[c]!);
    }
  }

  const tallest = Math.max(1, ...columns.map((c) => c.length));
  const fullHeight = tallest * (NODE_HEIGHT + ROW_GAP) - ROW_GAP;
  const placed = new Map<string, PlacedNode>();
  columns.forEach((column, c) => {
    const columnHeight = column.length * (NODE_HEIGHT + ROW_GAP) - ROW_GAP;
    const top = MARGIN + (fullHeight - columnHeight) / 2;
    column.forEach((service, i) => {
      placed.set(service, {
        service,
        column: c,
        x: MARGIN + c * (NODE_WIDTH + COLUMN_GAP),
        y: Math.round(top + i * (NODE_HEIGHT + ROW_GAP)),
      });
    });
  });

  return {
    width: MARGIN * 2 + columns.length * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP,
    height: MARGIN * 2 + fullHeight,
    nodes: sorted.map((s) => placed.get(s)!),
    edges: edges
      .filter((e) => placed.has(e.consumer) && placed.has(e.provider))
      .map((e) => ({ ...e, from: placed.get(e.consumer)!, to: placed.get(e.provider)! })),
  };
}
