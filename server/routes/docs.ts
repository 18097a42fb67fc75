/** A Swagger UI page for /openapi.json, with its assets served from npm (the server may be offline). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Hono } from 'hono';

const distDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

const page = (specUrl: string) => `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>gen_video API</title><link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: ${JSON.stringify(specUrl)}, dom_id: '#swagger-ui' });</script>
</body></html>`;

export function docsRoutes(specUrl: string): Hono {
  const app = new Hono();
  const cache = new Map<string, Buffer>();
  app.get('/', (c) => c.html(page(specUrl)));
  app.get('/assets/:name', (c) => {
    const name = c.req.param('name');
    const type = ASSETS[name];
    if (!type) return c.json({ detail: 'Not Found' }, 404);
    let body = cache.get(name);
    if (!body) {
      body = readFileSync(path.join(distDir, name));
      cache.set(name, body);
    }
    return c.body(new Uint8Array(body), 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=86400' });
  });
  return app;
}
