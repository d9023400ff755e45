// The console's one way to the integration's HTTP API: the documented routes, with the bearer
// token it was given, and every refusal turned into words a person can act on.

/** A refused or failed call; `message` is what to show, `problem` the API's problem+json if any. */
export class ApiError extends Error {
  constructor(status, message, problem) {
    super(message);
    this.status = status;
    this.problem = problem;
  }
}

/** Words for an answer that is not a success: problem+json's title, detail and field errors. */
export function describe(status, body) {
  if (body && typeof body === "object" && (body.title || body.detail)) {
    let words = body.detail ? `${body.title || "Refused"}: ${body.detail}` : body.title;
    if (Array.isArray(body.errors) && body.errors.length > 0) {
      words += " " + body.errors.map((e) => `${e.field} ${e.message}`).join("; ") + ".";
    }
    if (body.retryAfterSeconds) {
      words += ` Try again in ${body.retryAfterSeconds} s.`;
    }
    return words;
  }
  if (status === 401) {
    return "Your sign-in is missing, expired or not valid for this API: sign in again.";
  }
  if (status === 403) {
    return "Your role may not do this.";
  }
  if (status === 404) {
    return "Not found: the API has no such record or route.";
  }
  if (status >= 500) {
    return `The integration failed to answer (HTTP ${status}); try again, and tell support if it lasts.`;
  }
  return `The API answered HTTP ${status}.`;
}

/**
 * @param tokenOf a function giving the current bearer token
 * @param onBusy called with true while a call has taken more than a moment, false when none does
 */
export function createApi(tokenOf, onBusy = () => {}) {
  let pending = 0;
  let shownAfter = null;

  async function call(method, path, { body, accept = "application/json" } = {}) {
    pending++;
    if (!shownAfter) {
      shownAfter = setTimeout(() => onBusy(true), 300);
    }
    try {
      const headers = { Accept: accept };
      const token = tokenOf();
      if (token) {
        headers.Authorization = "Bearer " + token;
      }
      if (body !== undefined) {
        headers["Content-Type"] = "application/json";
      }
      let response;
      try {
        // Same-origin credentials: the connect's answer sets the cookie that binds it to this browser.
        response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
          cache: "no-store", credentials: "same-origin" });
      } catch (e) {
        throw new ApiError(0, "Cannot reach the API: check the network and try again.", null);
      }
      if (response.ok) {
        return response;
      }
      let parsed = null;
      try {
        parsed = await response.json();
      } catch (e) {
        // not JSON: described by its status
      }
      throw new ApiError(response.status, describe(response.status, parsed), parsed);
    } finally {
      pending--;
      if (pending === 0) {
        clearTimeout(shownAfter);
        shownAfter = null;
        onBusy(false);
      }
    }
  }

  const json = async (method, path, options) => {
    const r = await call(method, path, options);
    return r.status === 204 ? null : r.json();
  };

  return {
    get: (path) => json("GET", path),
    post: (path, body) => json("POST", path, { body }),
    put: (path, body) => json("PUT", path, { body }),
    del: (path) => json("DELETE", path),
    /** The response itself, e.g. for CSV. */
    raw: (path, accept) => call("GET", path, { accept }),
  };
}

export const enc = encodeURIComponent;
