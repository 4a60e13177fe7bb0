/** What every view reads: the live store, the discovered kinds, the selected namespace and navigation. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Kind } from './kinds.js';
import type { LiveStore } from './live.js';

export interface Console {
  readonly store: LiveStore;
  readonly kinds: readonly Kind[];
  readonly namespace: string;
  /** Sets the location hash: `#/<namespace>/<view>/<args...>`. */
  navigate(view: string, ...args: string[]): void;
  /** Opens the YAML editor with a text (a template, or an object to edit). */
  edit(yaml: string, title: string): void;
  /** A short message in the page's live region (what an action did, or why it failed). */
  notify(message: string, failed?: boolean): void;
}

export const ConsoleContext = createContext<Console | undefined>(undefined);

export function useConsole(): Console {
  const value = useContext(ConsoleContext);
  if (value === undefined) throw new Error('useConsole outside the console');
  return value;
}

export function hashOf(namespace: string, view: string, args: readonly string[]): string {
  return `#/${[namespace, view, ...args].map(encodeURIComponent).join('/')}`;
}
