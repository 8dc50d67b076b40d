import type { MiddlewareHandler } from "hono";
import type { TokenService } from "../../auth/token-service.ts";
import { ForbiddenError, UnauthorizedError } from "../../domain/errors.ts";
import { grants, type Scope } from "../../domain/scopes.ts";
import type { AppEnv } from "../env.ts";
import { problemResponse } from "../problem.ts";

const REALM = 'Bearer realm="flinkgate"';

/** Requires `Authorization: Bearer <token>`; 401 with WWW-Authenticate otherwise (RFC 6750). */
export function authenticate(tokens: Pick<TokenService, "authenticate">): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    if (!header) {
      return problemResponse(c, new UnauthorizedError("this endpoint needs an 'Authorization: Bearer <token>' header"), {
        "www-authenticate": REALM,
      });
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) {
      return problemResponse(c, new UnauthorizedError("the Authorization header must be 'Bearer <token>'"), {
        "www-authenticate": `${REALM}, error="invalid_request"`,
      });
    }
    const result = await tokens.authenticate(match[1]);
    if (!result.ok) {
      return problemResponse(c, new UnauthorizedError(`the bearer token is ${result.reason === "unknown" ? "not valid" : result.reason}`), {
        "www-authenticate": `${REALM}, error="invalid_token"`,
      });
    }
    c.set("principal", result.principal);
    c.set("logger", c.get("logger").child({ principal: result.principal.id }));
    return next();
  };
}

/** Per-route guard: 403 naming the scope the token lacks. */
export function requireScope(scope: Scope): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!grants(c.get("principal").scopes, scope)) throw new ForbiddenError(scope);
    return next();
  };
}
