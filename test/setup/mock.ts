// Global setup: one Prism mock for the whole run, on a free loopback port.
import type { TestProject } from "vitest/node";
import { freePort, startMock } from "../../scripts/mock.js";

declare module "vitest" {
  export interface ProvidedContext {
    mockUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const mock = await startMock({ port: await freePort() });
  project.provide("mockUrl", mock.url);
  return () => mock.stop();
}
