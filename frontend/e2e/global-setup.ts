import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";

import {
  appDomainOf,
  appOriginFor,
  checkPinsMatchClerkNextjs,
  ensureBundles,
  generateSigningKeys,
  newSigningSecret,
} from "./fake-clerk";
import { RunningStack, type StackInfo } from "./support/stack";
import { TEST_PUBLISHABLE_KEY } from "./support/test-build";

declare module "vitest" {
  export interface ProvidedContext {
    stack: StackInfo;
    /** The app as a browser opens it: nginx's port on the publishable key's domain. */
    appUrl: string;
    /** POST a stack command (`stop backend`, `start backend`, `logs`) here: the stack's stdin lives in this process. */
    controlUrl: string;
    publicPem: string;
    privatePem: string;
    webhookSecret: string;
  }
}

export default async function setup(project: TestProject) {
  // Before anything starts: an upgraded @clerk/nextjs must not run against stale Clerk bundles.
  checkPinsMatchClerkNextjs();
  const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const keys = await generateSigningKeys();
  const webhookSecret = newSigningSecret();
  const [started, bundles] = await Promise.allSettled([
    RunningStack.start(
      {
        NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: TEST_PUBLISHABLE_KEY,
        CLERK_SECRET_KEY: "sk_test_offline",
        // On one line with `\n` escapes, as an unquoted .env line hands it over: both servers accept it.
        CLERK_JWT_KEY: keys.publicPem.trim().replace(/\n/g, "\\n"),
        CLERK_WEBHOOK_SIGNING_SECRET: webhookSecret,
        // Clerk's Backend API is unreachable here: just-in-time provisioning must fail fast.
        CLERK_API_URL: "http://127.0.0.1:9/v1",
        // The browser opens the app, the admin included, on the publishable key's domain.
        DJANGO_ALLOWED_HOSTS: `127.0.0.1,localhost,${appDomainOf(TEST_PUBLISHABLE_KEY)}`,
      },
      databaseUrl,
      // ...which makes http://example.test:<port> the authorized party (azp) of its tokens.
      [appDomainOf(TEST_PUBLISHABLE_KEY)],
    ),
    ensureBundles(),
  ]);
  if (started.status === "rejected") throw started.reason;
  const stack = started.value;
  if (bundles.status === "rejected") {
    await stack.stop();
    throw bundles.reason;
  }
  const control = await controlServer(stack);

  project.provide("stack", stack.info);
  project.provide("appUrl", appOriginFor(TEST_PUBLISHABLE_KEY, new URL(stack.info.url).port));
  project.provide("controlUrl", `http://127.0.0.1:${(control.address() as AddressInfo).port}`);
  project.provide("publicPem", keys.publicPem);
  project.provide("privatePem", keys.privatePem);
  project.provide("webhookSecret", webhookSecret);

  return async () => {
    control.close();
    await stack.stop();
  };
}

function controlServer(stack: RunningStack): Promise<Server> {
  const server = createServer(async (request, response) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    try {
      const answer = await stack.command(body.trim() as "stop backend" | "start backend" | "logs");
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
    } catch (error) {
      response.writeHead(500).end(String(error));
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}
