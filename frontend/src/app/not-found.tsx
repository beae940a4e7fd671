import Link from "next/link";

export default function NotFound() {
  return (
    <div className="rounded-xl bg-white p-8 text-center shadow-sm ring-1 ring-slate-200">
      <h1 className="text-2xl font-bold">Page not found</h1>
      <p className="mt-2 text-slate-600">There is nothing at this address.</p>
      <Link href="/" className="mt-4 inline-block font-semibold text-brand-700 underline">
        Back to the home page
      </Link>
    </div>
  );
}
