// workerd: bundled with the installed package into a Worker, which runs the
// scenario when asked `?mock=<the mock's URL>` and answers with its results.
import * as pkg from "invoicexpress-openapi";
import { runScenario } from "./scenario.js";

export default {
  async fetch(request) {
    const mockUrl = new URL(request.url).searchParams.get("mock");
    // A request without it only asks whether the Worker is up.
    if (!mockUrl) return new Response("ready");
    return Response.json(await runScenario(pkg, mockUrl));
  },
};
