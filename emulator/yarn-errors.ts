/**
 * YARN's RemoteException error body (yarn/NOTES.md "Error shape"): status follows the
 * exception type (NotFound/IOException 404, BadRequest/IllegalArgument 400, Authorization 401,
 * anything else 503).
 */
export function remoteException(status: number, javaClassName: string, message: string): Response {
  const exception = javaClassName.split(".").pop() ?? javaClassName;
  return new Response(JSON.stringify({ RemoteException: { exception, message, javaClassName } }), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

export const yarnBadRequest = (message: string): Response =>
  remoteException(400, "org.apache.hadoop.yarn.webapp.BadRequestException", message);

export const yarnNotFound = (message: string): Response =>
  remoteException(404, "org.apache.hadoop.yarn.webapp.NotFoundException", message);

export const yarnAppNotFound = (appId: string): Response => yarnNotFound(`java.lang.Exception: app with id: ${appId} not found`);

/** Writes without a remote user (no `?user.name=` on a simple-auth RM). */
export const yarnUnauthenticated = (): Response =>
  remoteException(401, "org.apache.hadoop.security.authorize.AuthorizationException", "Unable to obtain user name, user not authenticated");

/** An injected 5xx: anything that is not a known client error becomes 503 in the RM's handler. */
export const yarnServerError = (status: number): Response =>
  remoteException(status, "org.apache.hadoop.yarn.exceptions.YarnRuntimeException", "Emulated ResourceManager failure");
