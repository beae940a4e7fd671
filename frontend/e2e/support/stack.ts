import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface, type Interface } from "node:readline";
import path from "node:path";

export const BACKEND_DIR = path.resolve(import.meta.dirname, "../../../backend");

export type StackInfo = {
  url: string;
  backend: string;
  frontend: string;
  database_url: string;
  workdir: string;
};

/**
 * The real stack (uvicorn on PostgreSQL, `next start`, nginx) started by the backend's
 * `python -m devstack serve`, which prints its URLs as one JSON line and then takes
 * commands (`stop backend`, `start backend`, `logs`) on stdin.
 */
export class RunningStack {
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly lines: Interface,
    readonly info: StackInfo,
  ) {}

  /** `publicHosts`: host names the browser opens the stack on; their origins become the authorized parties. */
  static async start(env: Record<string, string>, databaseUrl: string, publicHosts: string[] = []): Promise<RunningStack> {
    const args = ["run", "python", "-m", "devstack", "serve", "--frontend", "--nginx", "--database-url", databaseUrl];
    for (const host of publicHosts) args.push("--public-host", host);
    for (const [key, value] of Object.entries(env)) args.push("--env", `${key}=${value}`);
    const child = spawn("uv", args, { cwd: BACKEND_DIR, stdio: ["pipe", "pipe", "pipe"] });
    child.stderr.on("data", (chunk) => process.stderr.write(chunk));
    const lines = createInterface({ input: child.stdout });
    const first = await nextLine(lines, 180_000);
    const parsed = JSON.parse(first) as StackInfo & { error?: string; logs?: string };
    if (parsed.error) {
      throw new Error(`the stack did not start: ${parsed.error}\n${parsed.logs ?? ""}`);
    }
    return new RunningStack(child, lines, parsed);
  }

  /** Sends one command and returns its one-line JSON answer. */
  async command(command: "stop backend" | "start backend" | "logs"): Promise<Record<string, string>> {
    const answer = nextLine(this.lines, 90_000);
    this.child.stdin.write(`${command}\n`);
    return JSON.parse(await answer);
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill("SIGTERM"), 30_000);
    await exited;
    clearTimeout(timer);
  }
}

function nextLine(lines: Interface, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      lines.off("line", onLine);
      reject(new Error(`no answer from the stack within ${timeoutMs} ms`));
    }, timeoutMs);
    const onLine = (line: string) => {
      clearTimeout(timer);
      resolve(line);
    };
    lines.once("line", onLine);
    lines.once("close", () => {
      clearTimeout(timer);
      reject(new Error("the stack exited"));
    });
  });
}
