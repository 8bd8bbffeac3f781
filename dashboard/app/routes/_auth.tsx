import { Outlet } from 'react-router';
import { Logo } from '~/components/logo';

/** The frame of the pages one sees signed out: login, sign-up, verification, password reset. */
export default function AuthLayout() {
  return (
    <div className="flex min-h-screen flex-col items-center justify-center bg-muted/40 px-4 py-12">
      <div className="mb-8">
        <Logo />
      </div>
      <main className="w-full max-w-sm">
        <Outlet />
      </main>
      <p className="mt-8 text-xs text-muted-foreground">Edge-first affiliate tracking · open source</p>
    </div>
  );
}
