import Link from "next/link";

import { Card } from "@/components/ui/card";

export default function NotFound() {
  return (
    <Card className="text-center">
      <h1 className="text-2xl font-bold">Page not found</h1>
      <p className="mt-2 text-slate-600">There is nothing at this address.</p>
      <Link href="/" className="mt-4 inline-block font-semibold text-brand-700 underline">
        Back to the home page
      </Link>
    </Card>
  );
}
