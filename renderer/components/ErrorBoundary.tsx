import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** What this boundary guards, shown in its message ("Curate", "Contamination"). */
  name: string;
  children: ReactNode;
  /** Called by "Reset this panel" before the panel is drawn again (e.g. to drop saved state that broke it). */
  onReset?: () => void;
  /** When one of these changes (another screen, another tab) a failed panel is drawn again. */
  resetKeys?: readonly unknown[];
}

interface State {
  error: Error | null;
  componentStack: string;
}

const sameKeys = (a: readonly unknown[] = [], b: readonly unknown[] = []): boolean =>
  a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

/**
 * Keeps an error in one screen or panel inside it: the rest of the app stays usable, the error is shown
 * with where it happened, and "Reset this panel" draws it again (after `onReset`).
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, componentStack: '' };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(_error: unknown, info: ErrorInfo): void {
    this.setState({ componentStack: info.componentStack ?? '' });
  }

  override componentDidUpdate(prev: Props): void {
    if (this.state.error && !sameKeys(prev.resetKeys, this.props.resetKeys))
      this.setState({ error: null, componentStack: '' });
  }

  private readonly reset = (): void => {
    try {
      this.props.onReset?.();
    } finally {
      this.setState({ error: null, componentStack: '' });
    }
  };

  override render(): ReactNode {
    const { error, componentStack } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="panel-error" role="alert" data-testid="panel-error" data-panel={this.props.name}>
        <strong>{this.props.name} stopped with an error</strong>
        <p>{error.message}</p>
        <details>
          <summary>details</summary>
          <pre>{[error.stack ?? '', componentStack.trim()].filter(Boolean).join('\n\ncomponent stack:\n')}</pre>
        </details>
        <button onClick={this.reset} data-testid="reset-panel">
          Reset this panel
        </button>
      </div>
    );
  }
}
