"use client";

import { useActionState, useId } from "react";

import { Notice } from "@/components/ui/notice";
import { SubmitButton } from "@/components/ui/submit-button";
import { limits } from "@/lib/api/limits";
import type { ProjectFormState } from "@/lib/projects/form-state";

// The schema's limits (the same for creating and changing a project) are hints for the browser:
// the backend checks them again, and its refusal is shown, naming the field.
const { name: NAME_LIMITS, description: DESCRIPTION_LIMITS } = limits.ProjectIn;

const INPUT =
  "block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-100 aria-[invalid=true]:border-red-600";

type ProjectFormProps = {
  action: (previous: ProjectFormState, form: FormData) => Promise<ProjectFormState>;
  initialState: ProjectFormState;
  submitLabel: string;
  pendingLabel: string;
  "data-testid": string;
};

/** The fields of a project (create or change), with the backend's answer under them. */
export function ProjectForm({ action, initialState, submitLabel, pendingLabel, "data-testid": testId }: ProjectFormProps) {
  const [state, formAction] = useActionState(action, initialState);
  const id = useId();
  const messageId = `${id}-message`;
  const nameRefused = state.status === "refused" && state.field === "name";
  return (
    <form action={formAction} className="space-y-4" data-testid={testId}>
      <div className="space-y-1">
        <label htmlFor={`${id}-name`} className="text-sm font-medium text-slate-700">
          Name
        </label>
        {/* defaultValue: after a refusal React resets the form to it, which keeps what was typed. */}
        <input
          id={`${id}-name`}
          name="name"
          required
          maxLength={NAME_LIMITS.maxLength}
          defaultValue={state.values.name}
          aria-invalid={nameRefused || undefined}
          aria-describedby={nameRefused ? messageId : undefined}
          className={INPUT}
          data-testid="project-name-input"
        />
      </div>
      <div className="space-y-1">
        <label htmlFor={`${id}-description`} className="text-sm font-medium text-slate-700">
          Description <span className="font-normal text-slate-500">(optional)</span>
        </label>
        <textarea
          id={`${id}-description`}
          name="description"
          rows={3}
          maxLength={DESCRIPTION_LIMITS.maxLength}
          defaultValue={state.values.description}
          className={INPUT}
          data-testid="project-description-input"
        />
      </div>
      {state.message && (
        <Notice id={messageId} tone={state.status === "refused" ? "error" : "info"} data-testid={`${testId}-${state.status}`}>
          {state.message}
        </Notice>
      )}
      <SubmitButton pendingLabel={pendingLabel} data-testid={`${testId}-submit`}>
        {submitLabel}
      </SubmitButton>
    </form>
  );
}
