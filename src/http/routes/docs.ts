import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { Hono } from "hono";
import type { AppEnv } from "../env.ts";

/**
 * Swagger UI served from the installed swagger-ui-dist package, so /docs
 * works on a machine with no internet access (no CDN).
 */
const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui-standalone-preset.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>flinkgate API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  persistAuthorization: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: "StandaloneLayout"
});
`;

function assetDirectory(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve("swagger-ui-dist/package.json"));
}

export function docsRoutes() {
  const dir = assetDirectory();
  const cache = new Map<string, Buffer>();
  return new Hono<AppEnv>()
    .get("/docs", (c) => c.html(PAGE))
    .get("/docs/init.js", (c) => c.body(INIT, 200, { "content-type": "text/javascript; charset=utf-8" }))
    .get("/docs/assets/:file", async (c) => {
      const file = c.req.param("file");
      const type = ASSETS[file];
      if (!type) return c.notFound();
      let content = cache.get(file);
      if (!content) {
        content = await readFile(path.join(dir, file));
        cache.set(file, content);
      }
      return c.body(new Uint8Array(content), 200, { "content-type": type, "cache-control": "public, max-age=86400" });
    });
}
