import type { Express } from 'express';

/** One `METHOD /path` the app answers, in the document's spelling (`/conversations/{id}`). */
export type MountedRoute = `${Uppercase<string>} /${string}`;

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
}

const toDocPath = (path: string): string => (path.length > 1 ? path.replace(/\/+$/, '') : path).replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function walk(stack: readonly Layer[], prefix: string, out: Set<string>): void {
  for (const layer of stack) {
    if (layer.route !== undefined) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const method of Object.keys(layer.route.methods)) {
        if (method === '_all') continue;
        for (const path of paths) out.add(`${method.toUpperCase()} ${toDocPath(`${prefix}${path === '/' && prefix !== '' ? '' : path}`)}`);
      }
      continue;
    }
    // A mounted router (`app.use('/api/agent', router)`); other middleware answers no route of its own.
    const nested = layer.handle?.stack;
    if (nested === undefined) continue;
    const mounts = Array.isArray(layer.rawPath) ? layer.rawPath : [layer.rawPath ?? '/'];
    for (const mount of mounts) walk(nested, `${prefix}${typeof mount === 'string' && mount !== '/' ? mount : ''}`, out);
  }
}

/**
 * Every route an express app answers, found by walking its router stacks (express 5 / router 2:
 * a mount keeps its path as `rawPath`). Static files and asset middleware are not routes.
 */
export function mountedRoutes(app: Express): string[] {
  const out = new Set<string>();
  const root = (app as unknown as { router: { stack: Layer[] } }).router;
  walk(root.stack, '', out);
  return [...out].sort();
}
