"use client";
// Shows a failed list (search results, notifications) where the list would be, with the reason
// and "Try again", instead of replacing the whole page with the route's error screen.
import { QueryErrorResetBoundary } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { Component, type ReactNode } from "react";
import { isTrpcCallError } from "@/app/_shared/trpc/trpc-call-error";
import { useDescribeError } from "@/app/_shared/ui/describe-error";

interface BoundaryProps {
  /** A change of this key (say, a new query) clears the error. */
  resetKey: string;
  /** What failed, in the reader's words; otherwise the error's own description. */
  message?: string;
  onReset: () => void;
  children: ReactNode;
}

class Boundary extends Component<BoundaryProps, { error: unknown; failed: boolean }> {
  override state = { error: null as unknown, failed: false };

  static getDerivedStateFromError(error: unknown) {
    return { error, failed: true };
  }

  override componentDidUpdate(previous: BoundaryProps) {
    if (previous.resetKey !== this.props.resetKey && this.state.failed) this.retry();
  }

  retry = () => {
    this.props.onReset();
    this.setState({ error: null, failed: false });
  };

  override render() {
    return this.state.failed ? <QueryErrorNotice error={this.state.error} message={this.props.message} onRetry={this.retry} /> : this.props.children;
  }
}

export function QueryErrorBoundary({ resetKey, message, children }: { resetKey: string; message?: string; children: ReactNode }) {
  return (
    <QueryErrorResetBoundary>
      {({ reset }) => (
        <Boundary resetKey={resetKey} message={message} onReset={reset}>
          {children}
        </Boundary>
      )}
    </QueryErrorResetBoundary>
  );
}

export function QueryErrorNotice({ error, message, onRetry }: { error: unknown; message?: string; onRetry: () => void }) {
  const t = useTranslations("search");
  const describeError = useDescribeError();
  const described = isTrpcCallError(error) ? describeError(error) : null;
  const reason = described ? (Object.values(described.fields)[0] ?? described.form) : null;
  return (
    <div className="query-error" role="alert">
      <p>{message ?? reason ?? t("failed")}</p>
      <button type="button" className="button button-quiet button-small" onClick={onRetry}>
        {t("tryAgain")}
      </button>
    </div>
  );
}
