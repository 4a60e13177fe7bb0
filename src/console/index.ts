/** The web console (ARCHITECTURE 2.4): a page served at /console that talks only to the REST API. */
export { renderConsolePage } from './page.js';
export { consoleRoute, CONSOLE_CSP, CONSOLE_PATH } from './route.js';
