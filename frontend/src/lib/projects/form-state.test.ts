import { describe, expect, it } from "vitest";

import { project } from "@/test/factories";

import { EMPTY_PROJECT_FORM, projectFormValues, stateAfterCreate, stateAfterUpdate } from "./form-state";

const PROJECT = project({ name: "Apollo", description: "To the moon" });

describe("a project form after the backend's answer", () => {
  it("reads the inputs as typed, and a missing or file input as empty", () => {
    const form = new FormData();
    form.set("name", "  Apollo ");
    form.set("description", new Blob(["not text"]));
    expect(projectFormValues(form)).toEqual({ name: "  Apollo ", description: "" });
    expect(projectFormValues(new FormData())).toEqual({ name: "", description: "" });
  });

  it("empties the create form and names the project once created", () => {
    expect(stateAfterCreate({ kind: "ok", data: PROJECT }, { name: "Apollo", description: "To the moon" })).toEqual({
      ...EMPTY_PROJECT_FORM,
      status: "saved",
      message: "Created “Apollo”.",
    });
  });

  it("keeps what was typed when refused, with the field the refusal is about", () => {
    const submitted = { name: "apollo", description: "again" };
    const state = stateAfterCreate({ kind: "failed", status: 409, code: "name-taken", detail: "taken" }, submitted);
    expect(state).toEqual({
      status: "refused",
      field: "name",
      message: "A project named “apollo” already exists in this organization. Choose another name.",
      values: submitted,
    });
  });

  it("keeps what was typed when the server is unreachable", () => {
    const submitted = { name: "Apollo", description: "" };
    const state = stateAfterCreate({ kind: "unreachable", status: null, code: null, detail: "the backend did not answer in time" }, submitted);
    expect(state).toMatchObject({ status: "refused", field: null, values: submitted });
    expect(state.message).toContain("can't reach the server");
  });

  it("shows the saved values after a change, as the backend stored them", () => {
    const state = stateAfterUpdate({ kind: "ok", data: PROJECT }, { name: " Apollo ", description: "To the moon" });
    expect(state).toEqual({ status: "saved", message: "Changes saved.", field: null, values: { name: "Apollo", description: "To the moon" } });
  });

  it("says who may change a project when a member who did not create it tries", () => {
    const state = stateAfterUpdate({ kind: "failed", status: 403, code: "not-allowed", detail: "no" }, { name: "X", description: "" });
    expect(state.message).toBe("Only the project's creator or an admin of this organization can change it.");
  });
});
