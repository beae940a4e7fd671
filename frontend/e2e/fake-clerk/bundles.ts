// Clerk's browser code, served to the browser from the npm registry's packages instead of
// Clerk's CDN: the real clerk-js and Clerk UI, at the versions @clerk/nextjs loads.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export type PinnedBundle = {
  name: "@clerk/clerk-js" | "@clerk/ui";
  version: string;
  /** The npm tarball's `dist.integrity`: a re-published or tampered tarball fails instead of running. */
  integrity: string;
  /**
   * Set when the registry lacks the version @clerk/nextjs names and the closest one with the
   * same major stands in: the exact version it replaces, and why.
   */
  standsInFor?: { version: string; because: string };
};

/**
 * Update these with @clerk/nextjs: the browser tests refuse to run when @clerk/nextjs names
 * other versions (run `npm view <name>@<version> dist.integrity` for the new integrity).
 */
export const PINNED_BUNDLES: readonly PinnedBundle[] = [
  {
    name: "@clerk/clerk-js",
    version: "6.40.0",
    integrity: "sha512-2MnZ/ygvuCmeuqfXQmsxfQaLN/SSJvQbtT2cLXbgr5VKr3KmZFZBVvX977fG3eZ6pprl4J9pO+I2bbe6BvColg==",
  },
  {
    name: "@clerk/ui",
    version: "1.36.0",
    integrity: "sha512-uI96zYCh5jISLOt1mdpIPy/Y31P0kwFxjUFOxLUwFfTHFmGUcRjbqN6bbb+75tdI2Bz6ARGws3rhspDer+xIfQ==",
    standsInFor: {
      version: "1.41.0",
      because: "some npm registry mirrors serve @clerk/ui up to 1.36.0 only; where 1.41.0 is listed, pin it instead",
    },
  },
];

const FRONTEND_DIR = path.resolve(import.meta.dirname, "../..");
/** Under node_modules: `npm ci` clears it with the rest, and git never sees it. */
export const BUNDLE_CACHE_DIR = path.join(FRONTEND_DIR, "node_modules", ".cache", "fake-clerk-bundles");

/**
 * The exact clerk-js and Clerk UI versions the installed @clerk/nextjs asks Clerk's CDN for:
 * read from the @clerk/shared its @clerk/react loads, where they are the defaults of the URL
 * builders (the CDN URL itself names only the major, `@clerk/clerk-js@6`).
 */
export function bundleVersionsOfClerkNextjs(): Record<PinnedBundle["name"], string> {
  const fromFrontend = createRequire(path.join(FRONTEND_DIR, "package.json"));
  const fromNextjs = createRequire(fromFrontend.resolve("@clerk/nextjs"));
  const fromReact = createRequire(fromNextjs.resolve("@clerk/react"));
  const { versionSelector } = fromReact("@clerk/shared/versionSelector") as { versionSelector: (...args: unknown[]) => string };
  const { clerkUIScriptUrl } = fromReact("@clerk/shared/loadClerkJsScript") as { clerkUIScriptUrl: (...args: unknown[]) => string };
  const clerkJs = /packageVersion\s*=\s*"([^"]+)"/.exec(versionSelector.toString())?.[1];
  const ui = /versionSelector\([^,()]+,\s*"([^"]+)"\)/.exec(clerkUIScriptUrl.toString())?.[1];
  if (!clerkJs || !ui) {
    throw new Error(
      "Could not read which clerk-js and Clerk UI versions @clerk/nextjs loads (looked for the defaults of " +
        "versionSelector and clerkUIScriptUrl in @clerk/shared). Clerk changed how it picks them: update " +
        "bundleVersionsOfClerkNextjs in e2e/fake-clerk/bundles.ts.",
    );
  }
  return { "@clerk/clerk-js": clerkJs, "@clerk/ui": ui };
}

/** Fails, saying what to do, when the pins no longer match what @clerk/nextjs loads. */
export function checkPinsMatchClerkNextjs(): void {
  const problem = pinsMismatch(PINNED_BUNDLES, bundleVersionsOfClerkNextjs());
  if (problem) throw new Error(problem);
}

/** What is wrong with `pins` when @clerk/nextjs loads `expected`, or null when nothing is. */
export function pinsMismatch(pins: readonly PinnedBundle[], expected: Record<PinnedBundle["name"], string>): string | null {
  const stale = pins.filter((pin) => (pin.standsInFor?.version ?? pin.version) !== expected[pin.name]);
  if (stale.length === 0) return null;
  return [
    "The browser tests serve other Clerk browser bundles than the installed @clerk/nextjs loads:",
    ...stale.map((pin) => `  ${pin.name}: @clerk/nextjs loads ${expected[pin.name]}, the tests pin ${pin.standsInFor?.version ?? pin.version}`),
    "Update PINNED_BUNDLES in frontend/e2e/fake-clerk/bundles.ts to those versions, with their",
    "integrity from `npm view <name>@<version> dist.integrity` (the next run downloads them).",
  ].join("\n");
}

export function bundleDir(pin: PinnedBundle): string {
  return path.join(BUNDLE_CACHE_DIR, `${pin.name.replace("/", "+")}@${pin.version}`);
}

/** Downloads and unpacks each pinned tarball once (`npm pack`, so npm's registry and cache settings apply). */
export async function ensureBundles(): Promise<void> {
  await Promise.all(PINNED_BUNDLES.map(ensureBundle));
}

async function ensureBundle(pin: PinnedBundle): Promise<void> {
  const dir = bundleDir(pin);
  const marker = path.join(dir, ".integrity");
  if (existsSync(marker) && readFileSync(marker, "utf8") === pin.integrity) return;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const spec = `${pin.name}@${pin.version}`;
  let packed: { filename: string; integrity: string }[];
  try {
    const { stdout } = await run("npm", ["pack", spec, "--json", "--pack-destination", dir], { cwd: FRONTEND_DIR });
    packed = JSON.parse(stdout);
  } catch (error) {
    throw new Error(`npm pack ${spec} failed: the browser tests need it from the npm registry once.\n${String(error)}`);
  }
  const [tarball] = packed;
  if (tarball.integrity !== pin.integrity) {
    throw new Error(`${spec} from the registry has integrity ${tarball.integrity}, PINNED_BUNDLES says ${pin.integrity}.`);
  }
  await run("tar", ["-xzf", path.join(dir, tarball.filename), "-C", dir]);
  rmSync(path.join(dir, tarball.filename));
  writeFileSync(marker, pin.integrity);
}

const fileCache = new Map<string, Buffer>();

/**
 * The file for a CDN path, `/npm/@clerk/<package>@<tag or version>/dist/<file>`: the entry
 * bundle is asked for by major (`@6`), its chunks by exact version. Null for anything else.
 */
export function bundleFile(pathname: string): Buffer | null {
  const match = /^\/npm\/(@clerk\/[a-z-]+)@([^/]+)\/dist\/([\w.@-]+)$/.exec(pathname);
  const pin = match && PINNED_BUNDLES.find((candidate) => candidate.name === match[1]);
  if (!match || !pin) return null;
  const requested = match[2];
  if (requested !== pin.version && requested !== pin.version.split(".")[0]) return null;
  const file = path.join(bundleDir(pin), "package", "dist", match[3]);
  let contents = fileCache.get(file);
  if (!contents) {
    if (!existsSync(file)) return null;
    contents = readFileSync(file);
    fileCache.set(file, contents);
  }
  return contents;
}
