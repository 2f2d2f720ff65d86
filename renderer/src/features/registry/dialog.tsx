import { useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';

/**
 * A modal dialog on the platform's `<dialog>`: it traps focus, Escape closes
 * it, and the page behind is inert — no library needed. The body is a form,
 * so Enter in a field submits it.
 */
export function Dialog({
  title,
  onClose,
  onSubmit,
  children,
  footer,
  wide,
  testId,
}: {
  title: string;
  onClose(): void;
  onSubmit?(): void;
  children: ReactNode;
  /** The buttons, at the bottom of the form. */
  footer: ReactNode;
  wide?: boolean;
  testId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || dialog.open) return;
    dialog.showModal?.();
    // showModal focuses the first control; the field marked data-autofocus (the comment, the name) is where typing starts.
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit?.();
  };
  return (
    <dialog
      ref={ref}
      className={`reg-dialog${wide ? ' reg-dialog--wide' : ''}`}
      aria-labelledby={titleId}
      data-testid={testId}
      // Escape fires `cancel`; the parent unmounts the dialog instead of the browser closing it.
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <form onSubmit={submit} className="reg-dialog__form">
        <h2 id={titleId}>{title}</h2>
        <div className="reg-dialog__body">{children}</div>
        <div className="reg-dialog__footer">{footer}</div>
      </form>
    </dialog>
  );
}

/** An error under a form, read out when it appears. */
export function InlineError({ message, testId }: { message: string | null | undefined; testId?: string }) {
  if (!message) return null;
  return (
    <p className="reg-error" role="alert" data-testid={testId}>
      {message}
    </p>
  );
}
