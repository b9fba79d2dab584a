// Path templates like `/servers/{id}/actions/poweron`, matched segment by segment. Literal segments
// win over parameters, so `/servers/actions` never reaches the `/servers/{id}` handler.

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface Route<H> {
  method: Method;
  template: string;
  segments: string[];
  params: number;
  handler: H;
}

export type RouteMatch<H> =
  | { kind: 'found'; template: string; handler: H; params: Record<string, string> }
  | { kind: 'wrong_method'; template: string; allowed: Method[] }
  | { kind: 'missing' };

export class Router<H> {
  private readonly routes: Route<H>[] = [];

  add(method: Method, template: string, handler: H): this {
    const segments = split(template);
    if (this.routes.some((r) => r.method === method && r.template === template))
      throw new Error(`${method} ${template} is registered twice`);
    this.routes.push({ method, template, segments, params: segments.filter(isParam).length, handler });
    this.routes.sort((a, b) => a.params - b.params);
    return this;
  }

  get(template: string, handler: H): this {
    return this.add('GET', template, handler);
  }
  post(template: string, handler: H): this {
    return this.add('POST', template, handler);
  }
  put(template: string, handler: H): this {
    return this.add('PUT', template, handler);
  }
  delete(template: string, handler: H): this {
    return this.add('DELETE', template, handler);
  }

  match(method: string, path: string): RouteMatch<H> {
    const segments = split(path);
    let template: string | undefined;
    const allowed: Method[] = [];
    for (const route of this.routes) {
      const params = bind(route.segments, segments);
      if (!params) continue;
      if (route.method === method) return { kind: 'found', template: route.template, handler: route.handler, params };
      // Only the most literal template counts for 405, as only it would have answered.
      if (template === undefined || template === route.template) {
        template = route.template;
        allowed.push(route.method);
      }
    }
    return template === undefined ? { kind: 'missing' } : { kind: 'wrong_method', template, allowed };
  }

  templates(): { method: Method; template: string }[] {
    return this.routes.map((r) => ({ method: r.method, template: r.template }));
  }
}

const isParam = (segment: string) => segment.startsWith('{') && segment.endsWith('}');

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function bind(template: string[], path: string[]): Record<string, string> | undefined {
  if (template.length !== path.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const t = template[i]!;
    const p = path[i]!;
    if (isParam(t)) {
      let value: string;
      try {
        value = decodeURIComponent(p);
      } catch {
        return undefined;
      }
      params[t.slice(1, -1)] = value;
    } else if (t !== p) return undefined;
  }
  return params;
}
