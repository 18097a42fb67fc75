/** The Hono app, built from small routers; errors become `{"detail"}` in one onError. */
import { OpenAPIHono } from '@hono/zod-openapi';
import { apiKeyAuth } from './auth';
import { bodyLimit } from 'hono/body-limit';
import { ApiError, errorHandler, MAX_BODY_BYTES } from './http';
import { capcutMateRoutes } from './routes/capcut-mate';
import { genVideoRoutes } from './routes/gen-video';
import type { AppDeps } from './routes/deps';
import { docsRoutes } from './routes/docs';
import { videoRoutes } from './routes/videos';

export type { AppDeps } from './routes/deps';

export function createApp(deps: AppDeps): OpenAPIHono {
  const app = new OpenAPIHono();
  app.onError(errorHandler(deps.log));
  app.notFound((c) => c.json({ detail: `Not Found: ${c.req.method} ${c.req.path}` }, 404));

  app.get('/healthz', async (c) => {
    const h = await deps.health();
    return c.json(
      {
        status: h.ok ? 'ok' : 'unavailable',
        ...(h.problems.length ? { problems: h.problems } : {}),
        renders_running: h.rendersRunning,
        jobs_waiting: h.jobsWaiting,
        queue_limit: deps.config.queueLimit,
        render_concurrency: deps.config.renderConcurrency,
        storage: deps.storage.kind,
      },
      h.ok ? 200 : 503,
    );
  });

  app.get('/metrics', async (c) => c.body(await deps.metrics.registry.metrics(), 200, { 'Content-Type': deps.metrics.registry.contentType }));

  for (const prefix of ['/v1/*', '/async/v1/*', '/openapi/capcut-mate/v1/*']) {
    app.use(prefix, apiKeyAuth(deps.config.apiKeys));
    app.use(
      prefix,
      bodyLimit({
        maxSize: MAX_BODY_BYTES,
        onError: () => {
          throw new ApiError(413, `请求体过大（最多${MAX_BODY_BYTES / 1024} KB）`);
        },
      }),
    );
  }
  app.route('/v1', genVideoRoutes(deps));
  // The same API answering 202 at once by default: clients that time out early (Coze plugins,
  // capcut-mate-style gen_video + gen_video_status) switch by changing only their base URL.
  app.route('/async/v1', genVideoRoutes(deps, { defaultWaitSec: 0, documented: false }));
  app.route('/openapi/capcut-mate/v1', capcutMateRoutes(deps));

  if ('pathOf' in deps.storage) app.route('/videos', videoRoutes(deps.storage));

  if (deps.config.apiKeys.length) {
    app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', description: 'API_KEYS 中的一个 key' });
  }
  app.doc('/openapi.json', {
    openapi: '3.0.3',
    info: {
      title: 'gen_video',
      version: '0.1.0',
      description:
        '把剪映/CapCut 草稿导出为 MP4。错误响应统一为 {"detail": "..."}。' +
        '同样的接口也挂在 /async/v1 下：那里 POST /gen_video 默认立即答 202（适合超时很短的客户端，如 Coze 插件），只需换 base URL。',
    },
  });
  app.route('/docs', docsRoutes('/openapi.json'));
  app.get('/', (c) => c.json({ service: 'gen_video', docs: '/docs', openapi: '/openapi.json', health: '/healthz' }));
  return app;
}
