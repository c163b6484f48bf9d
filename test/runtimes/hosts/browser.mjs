// Chromium: bundled with the installed package into the page, which the
// matrix then asks to run the scenario against the mock (another origin).
import * as pkg from "invoicexpress-openapi";
import { runScenario } from "./scenario.js";

globalThis.runScenario = (mockUrl) => runScenario(pkg, mockUrl);
