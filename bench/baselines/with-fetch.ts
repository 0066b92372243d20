// Diagnostic preload: loads Node's Fetch implementation (undici) into a server that never uses it, as
// a Hono app's first Response does. `raw-ws-with-fetch` is raw ws with it: what undici's heap alone costs.
new Response(null);
