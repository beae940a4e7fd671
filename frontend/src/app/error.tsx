"use client";

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <div role="alert" className="rounded-xl bg-red-50 p-8 text-red-900 ring-1 ring-red-200" data-testid="state-error-boundary">
      <h1 className="text-xl font-semibold">Something went wrong on our side.</h1>
      <p className="mt-2">Please try again. If it keeps happening, contact support.</p>
      <button type="button" onClick={reset} className="mt-4 rounded-lg bg-red-700 px-4 py-2 font-semibold text-white">
        Try again
      </button>
    </div>
  );
}
