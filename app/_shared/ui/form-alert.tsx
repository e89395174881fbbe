import { forwardRef } from "react";

/** The form-level message. role="alert" so screen readers announce it when it appears. */
export const FormAlert = forwardRef<HTMLDivElement, { message: string | null }>(function FormAlert({ message }, ref) {
  return (
    <div ref={ref} role="alert" tabIndex={-1} className={message ? "form-alert" : "form-alert form-alert-empty"}>
      {message}
    </div>
  );
});
