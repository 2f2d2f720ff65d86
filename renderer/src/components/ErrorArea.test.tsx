// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { reportError, useErrors } from '../app/errors-store';
import { ErrorArea } from './ErrorArea';

afterEach(() => {
  cleanup();
  useErrors.setState({ errors: [] });
});

describe('ErrorArea', () => {
  it('shows a reported error with its message and lets the user dismiss it', () => {
    render(<ErrorArea />);
    act(() => reportError(new AppError('invalid_payload', 'passes: must be at least 1')));
    act(() => reportError(new AppError('invalid_payload', 'passes: must be at least 1')));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('passes: must be at least 1');
    expect(alert.querySelectorAll('[data-code="invalid_payload"]')).toHaveLength(1);
    fireEvent.click(screen.getByText('Dismiss'));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
