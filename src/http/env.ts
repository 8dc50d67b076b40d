import type { Principal } from "../auth/token-service.ts";
import type { Logger } from "../logging/logger.ts";

/** What middleware puts on the Hono context for handlers to use. */
export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    principal: Principal;
  };
}
