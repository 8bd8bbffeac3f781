import { AlertTriangleIcon } from 'lucide-react';
import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { Button } from './ui/button';

function messageOf(error: unknown): { title: string; detail: string } {
  if (isRouteErrorResponse(error)) {
    const body = error.data as { message?: unknown; error?: { message?: unknown } } | string | null;
    const detail =
      typeof body === 'string'
        ? body
        : typeof body?.message === 'string'
          ? body.message
          : typeof body?.error?.message === 'string'
            ? body.error.message
            : error.statusText;
    const title =
      error.status === 404 ? 'Not found' : error.status === 403 ? 'Not allowed' : `Error ${error.status}`;
    return { title, detail: detail || 'Something went wrong.' };
  }
  return { title: 'Something went wrong', detail: 'An unexpected error happened. Try again in a moment.' };
}

/** The one error boundary of the dashboard: a clear message, a way back, never a stack trace. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  if (!isRouteErrorResponse(error)) console.error(error);
  const { title, detail } = messageOf(error);
  return (
    <div className="flex min-h-[50vh] flex-col items-center justify-center gap-4 p-8 text-center">
      <div className="flex size-12 items-center justify-center rounded-full bg-destructive/10 text-destructive">
        <AlertTriangleIcon className="size-6" />
      </div>
      <div className="space-y-1">
        <h1 className="text-xl font-semibold">{title}</h1>
        <p className="max-w-md text-sm text-muted-foreground">{detail}</p>
      </div>
      <Button asChild variant="outline">
        <Link to="/">Back to the dashboard</Link>
      </Button>
    </div>
  );
}
