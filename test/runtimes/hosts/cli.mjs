// Node, Deno and Bun: the scenario in a user's project, importing the
// installed package; its results go to stdout as one line of JSON.
import * as pkg from "invoicexpress-openapi";
import { runScenario } from "./scenario.js";

const mockUrl = globalThis.Deno ? globalThis.Deno.args[0] : process.argv[2];
console.log(JSON.stringify(await runScenario(pkg, mockUrl)));
