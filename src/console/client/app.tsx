/**
 * The console's shell: sign-in, the header (namespace, live status, New, sign out), the navigation and
 * the view the location hash names (`#/<namespace>/<view>/<args>`, so every view can be bookmarked).
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, currentToken, errorText, getJson, setToken, whenUnauthorized } from './api.js';
import { Applications } from './applications.js';
import { ConsoleContext, hashOf, type Console } from './context.js';
import { Editor } from './editor.js';
import { EventsView, Timeline } from './events.js';
import { discoverKinds, findKind, type Kind } from './kinds.js';
import { LiveStore, useCollection, useStoreVersion } from './live.js';
import { Overview } from './overview.js';
import { Functions, ResourcesView } from './resources.js';
import { newResourceKind, templateOf } from './templates.js';
import { Triggers } from './triggers.js';
import { DEFAULT_NAMESPACE } from '../../core/resources/defaults.js';

const VIEWS: readonly { id: string; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'applications', label: 'Applications' },
  { id: 'triggers', label: 'Triggers' },
  { id: 'failed', label: 'Failed events' },
  { id: 'functions', label: 'Functions' },
  { id: 'resources', label: 'Resources' },
  { id: 'apply', label: 'Apply YAML' },
];

interface Route {
  readonly namespace: string;
  readonly view: string;
  readonly args: readonly string[];
}

function parseHash(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  const [namespace = DEFAULT_NAMESPACE, view = 'overview', ...args] = parts;
  return { namespace, view, args };
}

export function App() {
  const [token, setTokenState] = useState(currentToken());
  const [signInError, setSignInError] = useState('');
  const signOut = (message: string) => {
    setToken('');
    setTokenState('');
    setSignInError(message);
  };
  useEffect(
    () =>
      whenUnauthorized((message) =>
        signOut(`The server refused the token (${message}). Paste the current one.`),
      ),
    [],
  );
  if (token === '') {
    return (
      <SignIn
        error={signInError}
        onToken={(value) => {
          setToken(value);
          setTokenState(value);
        }}
        setError={setSignInError}
      />
    );
  }
  return <SignedIn signOut={() => signOut('')} />;
}

function SignIn(props: { error: string; onToken: (token: string) => void; setError: (e: string) => void }) {
  const [value, setValue] = useState('');
  const submit = async (event: Event) => {
    event.preventDefault();
    const candidate = value.trim();
    if (candidate === '') return;
    props.setError('Checking…');
    setToken(candidate);
    try {
      await getJson('/api/v1/namespaces?limit=1');
      props.setError('');
      props.onToken(candidate);
    } catch (error) {
      setToken('');
      props.setError(
        error instanceof ApiError && error.status === 401
          ? `The server refused the token (${error.message}). Paste the current one.`
          : `The server could not be asked: ${errorText(error)}`,
      );
    }
  };
  return (
    <main id="login">
      <h1>cemesh console</h1>
      <form onSubmit={(e) => void submit(e)} autoComplete="off">
        <label for="token">Admin token</label>
        <input
          id="token"
          type="password"
          value={value}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
          spellcheck={false}
          required
          autoFocus
        />
        <p id="login-error" role="alert">
          {props.error}
        </p>
        <button class="primary" type="submit">
          Sign in
        </button>
      </form>
      <p class="muted">
        <code>cemesh serve</code> writes the admin token to <code>&lt;data-dir&gt;/admin.token</code> when it
        first starts (<code>./.cemesh/admin.token</code> unless <code>--data-dir</code> says otherwise). The
        console keeps it in this tab's session storage only and sends it to this server's API as a bearer
        token.
      </p>
    </main>
  );
}

function SignedIn({ signOut }: { signOut: () => void }) {
  const [kinds, setKinds] = useState<Kind[] | undefined>();
  const [error, setError] = useState('');
  useEffect(() => {
    discoverKinds().then(setKinds, (e: unknown) => setError(errorText(e)));
  }, []);
  if (kinds === undefined)
    return <p class="muted loading">{error ? `Could not list the server's kinds: ${error}` : 'Loading…'}</p>;
  return <Shell kinds={kinds} signOut={signOut} />;
}

function Shell({ kinds, signOut }: { kinds: Kind[]; signOut: () => void }) {
  const store = useMemo(() => new LiveStore(kinds), [kinds]);
  const [route, setRoute] = useState(parseHash(location.hash));
  const [editor, setEditor] = useState({ text: '', title: 'Apply YAML' });
  const [message, setMessage] = useState({ text: '', failed: false });
  useStoreVersion(store);
  useEffect(() => {
    const onHash = () => {
      setRoute(parseHash(location.hash));
      setMessage({ text: '', failed: false });
    };
    const onVisibility = () => store.setHidden(document.hidden);
    window.addEventListener('hashchange', onHash);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('hashchange', onHash);
      document.removeEventListener('visibilitychange', onVisibility);
      store.close();
    };
  }, [store]);
  const namespaces = useCollection(store, findKind(kinds, 'Namespace'));
  const context: Console = {
    store,
    kinds,
    namespace: route.namespace,
    navigate: (view, ...args) => {
      location.hash = hashOf(route.namespace, view, args);
    },
    edit: (text, title) => {
      setEditor({ text, title });
      location.hash = hashOf(route.namespace, 'apply', []);
    },
    notify: (text, failed = false) => setMessage({ text, failed }),
  };
  const status = store.status();
  return (
    <ConsoleContext.Provider value={context}>
      <a class="skip" href="#content">
        Skip to content
      </a>
      <header class="top">
        <h1>
          cemesh <small>console</small>
        </h1>
        <label class="namespace">
          Namespace{' '}
          <select
            id="namespace"
            value={route.namespace}
            onChange={(e) => {
              location.hash = hashOf(
                (e.target as HTMLSelectElement).value,
                route.view === 'event' ? 'overview' : route.view,
                [],
              );
            }}
          >
            {namespaces.length === 0 ? <option value={route.namespace}>{route.namespace}</option> : null}
            {namespaces.map((n) => (
              <option key={n.metadata.name} value={n.metadata.name}>
                {n.metadata.name}
              </option>
            ))}
          </select>
        </label>
        <span
          id="status"
          class={`status ${status.live ? 'live' : status.error ? 'failing' : 'connecting'}`}
          role="status"
        >
          {status.live ? 'live' : status.error ? `reconnecting: ${status.error}` : 'connecting…'}
        </span>
        <span class="spacer" />
        <button
          type="button"
          onClick={() =>
            context.edit(templateOf(newResourceKind(context.kinds), route.namespace), 'New resource')
          }
        >
          New
        </button>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <nav aria-label="Views" class="views">
        {VIEWS.map((v) => (
          <a
            key={v.id}
            href={hashOf(route.namespace, v.id, [])}
            aria-current={route.view === v.id ? 'page' : undefined}
          >
            {v.label}
          </a>
        ))}
      </nav>
      <main id="content" tabIndex={-1}>
        <p id="message" class={message.failed ? 'error' : 'ok'} role="status" aria-live="polite">
          {message.text}
        </p>
        <View route={route} editor={editor} setEditorText={(text) => setEditor((e) => ({ ...e, text }))} />
      </main>
    </ConsoleContext.Provider>
  );
}

function View(props: {
  route: Route;
  editor: { text: string; title: string };
  setEditorText: (text: string) => void;
}) {
  const { view, args } = props.route;
  switch (view) {
    case 'applications':
      return <Applications />;
    case 'triggers':
      return <Triggers />;
    case 'failed':
      return <EventsView />;
    case 'events':
      return <EventsView trigger={args[0] ?? ''} />;
    case 'event':
      return <Timeline broker={args[0] ?? 'default'} source={args[1] ?? ''} id={args[2] ?? ''} />;
    case 'functions':
      return <Functions />;
    case 'resources':
      return <ResourcesView kindName={args[0] ?? 'Broker'} />;
    case 'apply':
      return <Editor text={props.editor.text} title={props.editor.title} setText={props.setEditorText} />;
    default:
      return <Overview />;
  }
}
