/**
 * The console's HTML shell (ARCHITECTURE 2.4, `/console`): it holds no data and no code of its own, only
 * the bundled script and stylesheet (built from src/console/client by `npm run build`) and a mount point.
 */
export const CONSOLE_PATH = '/console';
export const SCRIPT_PATH = '/console/console.js';
export const STYLE_PATH = '/console/console.css';

export function renderConsolePage(): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    '<title>cemesh console</title>',
    // An empty icon: otherwise the browser asks for /favicon.ico, which the API answers 401.
    '<link rel="icon" href="data:,">',
    `<link rel="stylesheet" href="${STYLE_PATH}">`,
    `<script defer src="${SCRIPT_PATH}"></script>`,
    '</head>',
    '<body><div id="root"><noscript>The cemesh console needs JavaScript.</noscript></div></body>',
    '</html>',
    '',
  ].join('\n');
}
