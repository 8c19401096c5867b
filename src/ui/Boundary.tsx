// Catches a display error so the screen shows one red line instead of crashing the terminal.
import { Text } from 'ink';
import React from 'react';
import { errorText } from './describe-result.js';

export class Boundary extends React.Component<
  { children: React.ReactNode; width: number },
  { error: string | null }
> {
  override state = { error: null as string | null };
  static getDerivedStateFromError(e: unknown) {
    return { error: errorText(e) };
  }
  override render() {
    if (this.state.error !== null)
      return <Text color="red">{`✖ display error: ${this.state.error}`.slice(0, this.props.width)}</Text>;
    return this.props.children;
  }
}
