// The page's stylesheet, shipped inline and allowed by its CSP hash. Meaning never rests on colour
// alone: every log line carries a word (you / server / info) and the status is spelled out.
export const clientStyle = `
* { box-sizing: border-box; }
body { font: 16px/1.45 system-ui, sans-serif; color: #1c1c1e; background: #fff; margin: 0 auto; max-width: 46rem; padding: 0.75rem; }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 1rem; }
h1 { font-size: 1.4rem; margin: 0; }
.status-line { margin: 0.25rem 0; overflow-wrap: anywhere; }
#status::before { content: ""; display: inline-block; width: 0.7em; height: 0.7em; border-radius: 50%; margin-right: 0.35em; background: #767676; }
#status[data-state="open"]::before { background: #1b7f3b; }
#status[data-state="connecting"]::before, #status[data-state="reconnecting"]::before, #status[data-state="closing"]::before { background: #b86e00; }
#status[data-state="closed"]::before { background: #b3261e; }
fieldset { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; border: 1px solid #aaa; border-radius: 6px; margin: 0.5rem 0; padding: 0.3rem 0.6rem 0.6rem; }
legend { font-weight: 600; padding: 0 0.25rem; }
#commands { gap: 0.4rem; }
#log { height: 45vh; min-height: 12rem; overflow-y: auto; border: 1px solid #767676; border-radius: 6px; padding: 0.25rem 0.5rem; font: 0.9rem/1.4 ui-monospace, Menlo, Consolas, monospace; }
.line { display: grid; grid-template-columns: auto 4.5em 1fr; gap: 0.5em; margin: 0.15rem 0; padding-left: 0.4rem; border-left: 4px solid transparent; }
.line time { color: #595959; }
.who { font-weight: 700; }
.sent { border-color: #0b5cad; }
.sent .who { color: #0b5cad; }
.received { border-color: #1b7f3b; }
.received .who { color: #1b6b2a; }
.info { color: #595959; font-style: italic; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
label[for="message"] { display: block; font-weight: 600; margin-top: 0.5rem; }
.row { display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 0.25rem 0; }
#message { flex: 1 1 12rem; min-width: 0; font: inherit; padding: 0.45rem; border: 1px solid #767676; border-radius: 4px; }
button { font: inherit; min-height: 2.5rem; padding: 0.35rem 0.9rem; border: 1px solid #555; border-radius: 4px; background: #f2f2f2; color: inherit; cursor: pointer; }
button:hover { background: #e2e2e2; }
:focus-visible { outline: 3px solid #e07b00; outline-offset: 2px; }
@media (max-width: 30rem) {
  .line { grid-template-columns: auto 1fr; }
  .text { grid-column: 1 / -1; }
}
`;
