/** The web console (ARCHITECTURE 2.4): a page served at /console that talks only to the REST API. */
export { CONSOLE_PATH, renderConsolePage } from './page.js';
export { consoleRoutes, CONSOLE_CSP, defaultBundleDir } from './route.js';
