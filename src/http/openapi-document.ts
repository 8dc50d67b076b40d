import { pino } from "pino";
import { systemClock } from "../domain/clock.ts";
import { createApp, openApiDocument } from "./app.ts";

function unavailable(): never {
  throw new Error("not available while generating the OpenAPI document");
}

/**
 * The OpenAPI document as the code defines it. Building it needs the routes,
 * not a database, so the services are left unreachable.
 */
export function generateOpenApiDocument() {
  const app = createApp({
    logger: pino({ level: "silent" }),
    clock: systemClock,
    tokens: { authenticate: unavailable, create: unavailable, list: unavailable, get: unavailable, revoke: unavailable },
    idempotency: { claim: unavailable, complete: unavailable, release: unavailable },
    readiness: unavailable,
    bodyLimitBytes: 1,
    targets: { create: unavailable, get: unavailable, list: unavailable, update: unavailable, delete: unavailable },
    jobs: { create: unavailable, put: unavailable, get: unavailable, list: unavailable, versions: unavailable, delete: unavailable },
    artifacts: { maxUploadBytes: 1, upload: unavailable, get: unavailable, list: unavailable, content: unavailable },
  });
  return openApiDocument(app);
}

export function renderOpenApiDocument(): string {
  return `${JSON.stringify(generateOpenApiDocument(), null, 2)}\n`;
}
