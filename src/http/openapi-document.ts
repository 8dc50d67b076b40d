import { pino } from "pino";
import { systemClock } from "../domain/clock.ts";
import { type AppDeps, createApp, openApiDocument } from "./app.ts";

/**
 * A service whose every method throws: building the document needs the
 * routes, not a database, so no service is ever called.
 */
function unreachable<T>(name: string, fields: Record<string, unknown> = {}): T {
  return new Proxy(fields, {
    get: (target, property) =>
      property in target
        ? target[property as string]
        : () => {
            throw new Error(`${name}.${String(property)} is not available while generating the OpenAPI document`);
          },
  }) as T;
}

/** The OpenAPI document as the code defines it. */
export function generateOpenApiDocument() {
  const deps: AppDeps = {
    logger: pino({ level: "silent" }),
    clock: systemClock,
    bodyLimitBytes: 1,
    readiness: unreachable("readiness"),
    tokens: unreachable("tokens"),
    idempotency: unreachable("idempotency"),
    targets: unreachable("targets"),
    jobs: unreachable("jobs"),
    artifacts: unreachable("artifacts", { maxUploadBytes: 1 }),
    runs: unreachable("runs"),
    operations: unreachable("operations"),
  };
  return openApiDocument(createApp(deps));
}

export function renderOpenApiDocument(): string {
  return `${JSON.stringify(generateOpenApiDocument(), null, 2)}\n`;
}
