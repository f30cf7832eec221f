import type { Route } from './http-types.js';

interface CompiledRoute {
  route: Route;
  segments: ReadonlyArray<{ param: string } | { literal: string }>;
  /** Literal segments rank above parameters, left to right, so `/a/b` wins over `/a/:x`. */
  rank: string;
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'wrong-method'; allow: string[] }
  | { kind: 'none' };

/** Matches request paths against route patterns, compiled once when the router is built. */
export class Router {
  readonly #routes: CompiledRoute[];

  constructor(routes: readonly Route[]) {
    this.#routes = routes
      .map((route) => {
        const segments = route.path.split('/').slice(1).map((part) =>
          part.startsWith(':') ? { param: part.slice(1) } : { literal: part });
        const rank = segments.map((segment) => ('literal' in segment ? '0' : '1')).join('');
        return { route, segments, rank };
      })
      .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
    const seen = new Set<string>();
    for (const { route, segments } of this.#routes) {
      const key = `${route.method} ${segments.map((s) => ('literal' in s ? s.literal : ':')).join('/')}`;
      if (seen.has(key)) throw new Error(`duplicate sandbox route: ${route.method} ${route.path}`);
      seen.add(key);
    }
  }

  match(method: string, path: string): RouteMatch {
    const parts = path.split('/').slice(1);
    const allow: string[] = [];
    for (const compiled of this.#routes) {
      const params = matchSegments(compiled.segments, parts);
      if (params === undefined) continue;
      if (compiled.route.method === method) return { kind: 'found', route: compiled.route, params };
      if (!allow.includes(compiled.route.method)) allow.push(compiled.route.method);
    }
    return allow.length > 0 ? { kind: 'wrong-method', allow } : { kind: 'none' };
  }
}

function matchSegments(segments: CompiledRoute['segments'], parts: string[]): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let index = 0; index < segments.length; index += 1) {
    const segment = segments[index]!;
    const part = parts[index]!;
    if ('literal' in segment) {
      if (segment.literal !== part) return undefined;
      continue;
    }
    if (part === '') return undefined;
    try {
      params[segment.param] = decodeURIComponent(part);
    } catch {
      return undefined;
    }
  }
  return params;
}
