import { SubmitButton } from "@/components/ui/submit-button";

import { deleteProjectAction } from "./actions";

/** A one-button form: shown to admins only, though the backend is what refuses anyone else. */
export function DeleteProjectForm({ projectId, projectName }: { projectId: string; projectName: string }) {
  return (
    <form action={deleteProjectAction} data-testid="delete-project-form">
      <input type="hidden" name="projectId" value={projectId} />
      <SubmitButton variant="danger" size="sm" pendingLabel="Deleting…" aria-label={`Delete ${projectName}`} data-testid="delete-project">
        Delete
      </SubmitButton>
    </form>
  );
}
