/** The page's stylesheet, shipped inline and allowed by its CSP hash. */
export const clientStyle = `
body { font: 16px/1.4 system-ui, sans-serif; margin: 0 auto; max-width: 42rem; padding: 1rem; }
#log { list-style: none; padding: 0.5rem; border: 1px solid #888; height: 50vh; overflow-y: auto; }
#log .sent { color: #1a4f9c; }
#log .received { color: #1b6b2a; }
form { display: flex; gap: 0.5rem; }
input { flex: 1; font: inherit; padding: 0.4rem; }
button { font: inherit; padding: 0.4rem 0.8rem; }
:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
`;
