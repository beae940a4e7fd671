import { describe, expect, it } from "vitest";

import type { ApiFailure } from "../api/client";
import type { ErrorCode } from "../api/types";
import { deleteRefusalKey, deleteRefusalMessage, refusalOf } from "./refusals";

const failed = (status: number, code: ErrorCode | null, detail = "the backend's sentence"): ApiFailure => ({
  kind: "failed",
  status,
  code,
  detail,
});

describe("what the page says when the backend refuses a project form, by code", () => {
  it("marks the name field when the name is taken, quoting the name as typed", () => {
    expect(refusalOf("create", failed(409, "name-taken"), " apollo ")).toEqual({
      field: "name",
      message: "A project named “apollo” already exists in this organization. Choose another name.",
    });
  });

  it("shows the backend's sentence for an invalid value: it names the field", () => {
    const refusal = refusalOf("create", failed(422, "invalid-request", "invalid name: must be 1 to 100 characters"));
    expect(refusal).toEqual({ field: null, message: "The server refused the form: invalid name: must be 1 to 100 characters." });
  });

  it("says who may change and who may delete when the role does not allow it", () => {
    expect(refusalOf("update", failed(403, "not-allowed")).message).toBe(
      "Only the project's creator or an admin of this organization can change it.",
    );
    expect(refusalOf("delete", failed(403, "not-allowed")).message).toBe("Only an admin of this organization can delete a project.");
  });

  it("asks for an organization when none is active", () => {
    expect(refusalOf("create", failed(403, "no-active-organization")).message).toContain("Choose one with the organization switcher");
  });

  it("says so when the webhook said they left the organization their token still names", () => {
    expect(refusalOf("create", failed(403, "not-a-member")).message).toContain("no longer a member of this organization");
  });

  it("says a project of another organization, or a deleted one, does not exist", () => {
    expect(refusalOf("update", failed(404, "not-found")).message).toContain("does not exist in your active organization");
  });

  it("decides by the code, whatever the sentence says", () => {
    expect(refusalOf("delete", failed(403, "not-allowed", "name taken")).message).toBe(
      "Only an admin of this organization can delete a project.",
    );
  });

  it("falls back on the kind of failure: an expired session, an unreachable server, another error", () => {
    expect(refusalOf("create", { kind: "signed-out", status: 401, code: "token-expired", detail: "token expired" }).message).toBe(
      "Your session has expired. Sign in again to continue.",
    );
    expect(
      refusalOf("create", { kind: "unreachable", status: null, code: null, detail: "the backend could not be reached" }).message,
    ).toBe("We can't reach the server right now (the backend could not be reached). Try again in a moment.");
    expect(refusalOf("create", failed(500, "internal-error", "internal error")).message).toBe("The server answered 500: internal error.");
  });
});

describe("a refused deletion, carried in the address by a key", () => {
  it.each<[ApiFailure, string]>([
    [failed(403, "not-allowed"), "not-allowed"],
    [failed(404, "not-found"), "not-found"],
    [failed(403, "no-active-organization"), "no-active-organization"],
    [failed(403, "not-a-member"), "not-a-member"],
    [{ kind: "signed-out", status: 401, code: "token-expired", detail: "" }, "signed-out"],
    [{ kind: "unreachable", status: null, code: null, detail: "" }, "unreachable"],
    [{ kind: "unreachable", status: 503, code: "database-unavailable", detail: "" }, "unreachable"],
    [failed(500, "internal-error"), "failed"],
  ])("%j goes as %s", (failure, key) => {
    expect(deleteRefusalKey(failure)).toBe(key);
  });

  it("reads back as the sentence for that key", () => {
    expect(deleteRefusalMessage("not-allowed")).toBe("Only an admin of this organization can delete a project.");
    expect(deleteRefusalMessage("unreachable")).toBe("We can't reach the server right now. Try again in a moment.");
  });

  it("shows nothing for a value that is not a key: the address is the visitor's to write", () => {
    expect(deleteRefusalMessage("<script>")).toBeNull();
    expect(deleteRefusalMessage("toString")).toBeNull();
    expect(deleteRefusalMessage(null)).toBeNull();
  });
});
