import { LoginForm } from "@/components/LoginForm";

export default function LoginPage() {
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-4">
      <h1 className="mb-1 text-xl font-bold">
        <span className="text-accent">▍</span>panecast
      </h1>
      <p className="mb-6 text-sm text-muted">Sign in with an access token.</p>
      <LoginForm />
      <p className="mt-6 text-xs text-muted">
        An admin makes tokens with <code>panecast token create --name NAME --role viewer|operator|admin</code>. The first start prints a
        login link with the admin token.
      </p>
    </main>
  );
}
