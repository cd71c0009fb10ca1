import type { IncomingMessage } from 'node:http';
import { badRequest } from './http-error.js';
import type { Reply } from './http.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One request as a route sees it. */
export interface RouteContext {
  request: IncomingMessage;
  /** A `:name` segment of the route's path, decoded. */
  param(name: string): string;
  query: URLSearchParams;
  /** The body as received. */
  raw: Buffer;
  /** The body parsed as JSON, undefined when empty; a 400 as OVH answers when it is not JSON. */
  json(): unknown;
  /** The server's clock (ms), read once per request. */
  now: number;
}

export interface Route {
  method: Method;
  /** Literal segments and `:name` parameters, e.g. /1.0/sms/:service/batches/:id/cancel. */
  path: string;
  /** Answered without OVH's authentication (the clock, OAuth2 tokens, signed document links). */
  open?: boolean;
  handle(context: RouteContext): Reply;
}

export interface RouteMatch {
  route: Route;
  params: ReadonlyMap<string, string>;
}

const segmentsOf = (path: string) => path.split('/').slice(1);

function decoded(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** A table of routes, tried in order; a path matches a route segment by segment, its parameters decoded. */
export class Router {
  private readonly table: { route: Route; segments: string[] }[];

  constructor(routes: readonly Route[]) {
    this.table = routes.map((route) => ({ route, segments: segmentsOf(route.path) }));
  }

  match(method: string, pathname: string): RouteMatch | null {
    const segments = segmentsOf(pathname).map(decoded);
    for (const { route, segments: pattern } of this.table) {
      if (route.method !== method || pattern.length !== segments.length) continue;
      const params = new Map<string, string>();
      const matches = pattern.every((expected, index) => {
        const actual = segments[index];
        if (actual === null || actual === undefined) return false;
        if (expected.startsWith(':')) params.set(expected.slice(1), actual);
        return expected.startsWith(':') || expected === actual;
      });
      if (matches) return { route, params };
    }
    return null;
  }
}

/** The context of a matched request. */
export function routeContext(
  request: IncomingMessage,
  target: string,
  raw: Buffer,
  params: ReadonlyMap<string, string>,
  now: number,
): RouteContext {
  return {
    request,
    param: (name) => {
      const value = params.get(name);
      if (value === undefined) throw new Error(`The route has no parameter :${name}`);
      return value;
    },
    query: new URL(target, 'https://sandbox').searchParams,
    raw,
    json: () => {
      if (raw.length === 0) return undefined;
      try {
        return JSON.parse(raw.toString('utf8')) as unknown;
      } catch {
        throw badRequest('Invalid JSON received');
      }
    },
    now,
  };
}
