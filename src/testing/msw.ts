// The fake account as Mock Service Worker request handlers, for code under
// test that calls the service with the platform's fetch rather than taking
// a `fetch` of yours. msw is an optional peer: it is loaded only here.

/**
 * The part of msw the handlers are made with, described here rather than
 * imported: the entry's types then need no msw where it is not installed.
 */
export interface MswLike {
  http: { all(path: RegExp, resolver: (info: { request: Request }) => Response | Promise<Response>): unknown };
}

export interface HandlerOptions {
  /**
   * The requests to answer: those under this URL. By default the host of
   * the seed's `accountName`, `https://{accountName}.app.invoicexpress.com`
   * (every account's host when the seed names none); give the `baseUrl`
   * your code uses when it is another (a proxy's, say).
   */
  baseUrl?: string;
  /**
   * msw itself (`import * as msw from "msw"`): needed where the account
   * cannot load it (a browser); in Node it is found beside this package.
   */
  msw?: MswLike;
}

/** Answers a request to an account whose root is `basePath` on its host. */
type Answer = (request: Request, basePath: string) => Promise<Response>;

/**
 * msw's request handlers (typed loosely, as `any[]`, so that
 * `setupServer(...account.handlers())` compiles with or without msw's types).
 */
export function mswHandlers(answer: Answer, { baseUrl, accountName, msw = loadMsw() }: HandlerOptions & { accountName?: string }): any[] {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  // Host names are case-insensitive: the URL parser lower-cases them, in the
  // request's URL and in baseUrl alike.
  const base = baseUrl === undefined ? undefined : absolute(baseUrl).href.replace(/\/$/, "");
  const under =
    base !== undefined
      ? new RegExp(`^${escape(base)}/`)
      : new RegExp(`^https://${accountName === undefined ? "[a-z0-9-]+" : escape(accountName)}\\.app\\.invoicexpress\\.com/`, "i");
  // The operations' paths lie under the base URL's own, as the client sends them.
  const basePath = base === undefined ? "" : new URL(base).pathname.replace(/\/$/, "");
  return [msw.http.all(under, ({ request }) => answer(request, basePath))];
}

function absolute(baseUrl: string): URL {
  try {
    return new URL(baseUrl);
  } catch {
    throw new TypeError(`account.handlers: baseUrl must be an absolute URL, such as http://127.0.0.1:4010; got ${JSON.stringify(String(baseUrl))}.`);
  }
}

function loadMsw(): MswLike {
  const builtin = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process?.getBuiltinModule;
  const missing = "account.handlers() needs msw, an optional peer of invoicexpress-openapi: npm install --save-dev msw@2";
  if (!builtin) throw new Error(`${missing} (outside Node, pass it: account.handlers({ msw }))`);
  const { createRequire } = builtin("node:module") as typeof import("node:module");
  try {
    return createRequire(import.meta.url)("msw") as MswLike;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") throw new Error(missing);
    throw error;
  }
}
