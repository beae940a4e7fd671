// The state of a project form (create or change) after the backend answered it.
import type { ApiResult } from "../api/client";
import type { Project } from "../api/types";
import { refusalOf } from "./refusals";

export type ProjectFormValues = { name: string; description: string };

export type ProjectFormState = {
  status: "editing" | "saved" | "refused";
  message: string | null;
  /** The input a refusal is about, when its code tells (a taken name: the name). */
  field: "name" | null;
  /** What the inputs hold after the answer: what was typed when refused, so nothing is lost. */
  values: ProjectFormValues;
};

export const EMPTY_PROJECT_FORM: ProjectFormState = {
  status: "editing",
  message: null,
  field: null,
  values: { name: "", description: "" },
};

/** The form's inputs, as typed: the backend trims and checks them. */
export function projectFormValues(form: FormData): ProjectFormValues {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  return { name: text("name"), description: text("description") };
}

export function stateAfterCreate(result: ApiResult<Project>, submitted: ProjectFormValues): ProjectFormState {
  if (result.kind === "ok") {
    return { ...EMPTY_PROJECT_FORM, status: "saved", message: `Created “${result.data.name}”.` };
  }
  return { status: "refused", ...refusalOf("create", result, submitted.name), values: submitted };
}

export function stateAfterUpdate(result: ApiResult<Project>, submitted: ProjectFormValues): ProjectFormState {
  if (result.kind === "ok") {
    const { name, description } = result.data;
    return { status: "saved", message: "Changes saved.", field: null, values: { name, description } };
  }
  return { status: "refused", ...refusalOf("update", result, submitted.name), values: submitted };
}
