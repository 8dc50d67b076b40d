import { javaStackTrace } from "./flink-failure-json.ts";

/** Successful Flink JSON carries `application/json; charset=UTF-8` (flink/NOTES.md). */
export function flinkJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=UTF-8", ...headers },
  });
}

const HANDLER_FRAMES = [
  "org.apache.flink.runtime.rest.handler.AbstractRestHandler.respondToRequest(AbstractRestHandler.java:83)",
  "org.apache.flink.runtime.rest.handler.AbstractHandler.respondAsLeader(AbstractHandler.java:196)",
  "org.apache.flink.runtime.rest.handler.LeaderRetrievalHandler.lambda$channelRead0$0(LeaderRetrievalHandler.java:83)",
  "java.base/java.lang.Thread.run(Thread.java:829)",
];

/**
 * A RestHandlerException: `errors` holds ONE string with the whole stringified exception,
 * stack trace included (FLINK-12781, flink/NOTES.md "Error responses").
 */
export function flinkHandlerError(
  status: number,
  message: string,
  causes: readonly string[] = [],
  className = "org.apache.flink.runtime.rest.handler.RestHandlerException",
): Response {
  return flinkJson({ errors: [javaStackTrace(className, message, HANDLER_FRAMES, causes)] }, status);
}

/** Unknown job on read endpoints: 404 `Job <id> not found` wrapped as NotFoundException. */
export function flinkJobNotFound(jobId: string): Response {
  return flinkHandlerError(
    404,
    `Job ${jobId} not found`,
    [`org.apache.flink.runtime.messages.FlinkJobNotFoundException: Could not find Flink job (${jobId})`],
    "org.apache.flink.runtime.rest.NotFoundException",
  );
}

/** Unknown path or method: 404 with the short `Not found: <uri>` (RouterHandler). */
export function flinkRouteNotFound(uri: string): Response {
  return flinkJson({ errors: [`Not found: ${uri}`] }, 404);
}

/** Path parameter that is not 32 hex chars. */
export function flinkBadParameter(name: string, value: string): Response {
  return flinkJson(
    { errors: [`Bad request, could not parse parameters: Cannot resolve path parameter (${name}) from value "${value}".`] },
    400,
  );
}

/** Unexpected exceptions: 500 with two strings (an injected fault may choose another 5xx). */
export function flinkInternalError(detail: string, status = 500): Response {
  return flinkJson(
    { errors: ["Internal server error.", `<Exception on server side:\n${detail}\nEnd of exception on server side>`] },
    status,
  );
}
