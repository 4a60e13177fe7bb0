/** The console's stylesheet: system fonts, light and dark schemes, nothing fetched from elsewhere. */
export const CONSOLE_STYLE = String.raw`
:root {
  color-scheme: light dark;
  --bg: #f6f7f9; --panel: #ffffff; --text: #1d2330; --muted: #667085; --line: #e3e6eb;
  --accent: #0b6bcb; --head: #13243b; --head-text: #f1f5fb;
  --ok: #17803d; --ok-bg: #e3f5e9; --bad: #b42318; --bad-bg: #fdecea; --warn: #8a5a00; --warn-bg: #fff4d6;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f141b; --panel: #171d26; --text: #e4e8ee; --muted: #98a2b3; --line: #2a3341;
    --accent: #5aa9f5; --head: #0a1a2e;
    --ok: #6fd08f; --ok-bg: #173524; --bad: #ff8a80; --bad-bg: #3b1b1b; --warn: #f5c451; --warn-bg: #3a2f12;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
[hidden] { display: none !important; }
header { display: flex; align-items: center; gap: 16px; padding: 10px 20px; background: var(--head); color: var(--head-text); }
header h1 { margin: 0; font-size: 17px; font-weight: 600; letter-spacing: .3px; }
header h1 small { font-weight: 400; opacity: .7; margin-left: 6px; }
header .spacer { flex: 1; }
.status { font-size: 12px; padding: 2px 10px; border-radius: 999px; background: rgba(255,255,255,.12); }
.status::before { content: ""; display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 6px; background: #f5c451; }
.status.live::before { background: #4ade80; }
.status.failing::before { background: #f87171; }
header button { color: var(--head-text); border-color: rgba(255,255,255,.3); background: transparent; }
.layout { display: grid; grid-template-columns: 200px minmax(0, 1fr); gap: 20px; padding: 20px; align-items: start; }
@media (max-width: 900px) { .layout { grid-template-columns: minmax(0, 1fr); } }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin-bottom: 20px; }
section h2 { margin: 0 0 10px; font-size: 15px; font-weight: 600; }
section h2 .count { color: var(--muted); font-weight: 400; margin-left: 4px; }
.namespaces { list-style: none; margin: 0; padding: 0; }
.namespaces li { padding: 6px 8px; border-radius: 6px; }
.namespaces .badge { margin-left: 4px; }
.namespaces li.selected { background: var(--bg); outline: 1px solid var(--line); }
.scroll { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; }
th { text-align: left; font-size: 12px; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: .4px; padding: 6px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; }
td { padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; white-space: nowrap; }
tr.selected td { background: color-mix(in srgb, var(--accent) 10%, transparent); }
tr.event, tr.delivery { cursor: pointer; }
tr.event:hover td, tr.delivery:hover td { background: color-mix(in srgb, var(--accent) 6%, transparent); }
tr.detail td { white-space: normal; background: var(--bg); }
td.name { font-weight: 600; }
td.wrap { white-space: normal; overflow-wrap: anywhere; min-width: 14em; }
td.age, td.num { color: var(--muted); font-variant-numeric: tabular-nums; }
.mono, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
pre { margin: 0; white-space: pre-wrap; word-break: break-all; }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.empty { color: var(--muted); margin: 4px 0; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.ready-true, .outcome-delivered { color: var(--ok); background: var(--ok-bg); }
.ready-false, .outcome-undeliverable, .outcome-dead-lettered { color: var(--bad); background: var(--bad-bg); }
.ready-unknown, .outcome-pending { color: var(--warn); background: var(--warn-bg); }
button { font: inherit; font-size: 13px; padding: 3px 10px; border-radius: 6px; border: 1px solid var(--line); background: var(--panel); color: var(--text); cursor: pointer; }
button:hover { border-color: var(--accent); }
button.link { border: 0; background: none; padding: 0; color: var(--accent); font-weight: 600; }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; padding: 6px 16px; }
.flow-head { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; margin-bottom: 8px; }
.flow-head h3 { margin: 0; font-size: 14px; flex: 1; }
.tools { display: flex; align-items: center; gap: 8px; }
.flow-status { font-size: 12px; color: var(--muted); }
.flow-status.failing, .flow-status.gone { color: var(--bad); }
.attempts { margin: 0; padding-left: 20px; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12.5px; }
#login { max-width: 520px; margin: 60px auto; }
#login label { display: block; font-weight: 600; margin-bottom: 6px; }
#login input { width: 100%; font: inherit; padding: 8px 10px; border-radius: 6px; border: 1px solid var(--line); background: var(--bg); color: var(--text); margin-bottom: 12px; }
#login code { white-space: nowrap; background: var(--bg); padding: 1px 5px; border-radius: 4px; }
#login-error { color: var(--bad); min-height: 1.4em; }
`;
