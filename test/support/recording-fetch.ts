// A fetch that answers from a script and records what it was asked: unit
// tests hand it to the client instead of patching the global fetch.
interface RecordedCall {
  url: string;
  method: string;
  headers: Headers;
  body: string | undefined;
  signal: AbortSignal | undefined;
}

type Answer = Response | Error | ((call: RecordedCall) => Response | Promise<Response>);

export function recordingFetch(...answers: Answer[]) {
  const calls: RecordedCall[] = [];
  const fetch = async (input: string | Request, init: RequestInit = {}) => {
    const call: RecordedCall = {
      url: typeof input === "string" ? input : input.url,
      method: init.method ?? "GET",
      headers: new Headers(init.headers),
      body: typeof init.body === "string" ? init.body : undefined,
      signal: init.signal ?? undefined,
    };
    calls.push(call);
    const answer = answers[Math.min(calls.length, answers.length) - 1] ?? new Response(null, { status: 200 });
    if (answer instanceof Error) throw answer;
    return typeof answer === "function" ? answer(call) : answer.clone();
  };
  return { fetch, calls };
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
