/**
 * The one way this package makes a supabase-js client: a server-side client with the service role
 * (no session to keep or refresh). supabase-js builds a Realtime client too, which needs a
 * WebSocket; Node 22 has one, Node 20 (which `zg-migrate` supports) does not and supabase-js then
 * refuses to start, so the `ws` package is given as the transport. Realtime itself is never used.
 */
import { createClient, type WebSocketLikeConstructor } from '@supabase/supabase-js';
import ws from 'ws';

// `ws` is a WebSocket for Realtime's purposes; only the typings differ (ws's own Event type and a
// `null`-address constructor overload), so it is given as the constructor Realtime declares.
const transport = ws as unknown as WebSocketLikeConstructor;

export function supabaseClient(url: string, serviceRoleKey: string) {
  return createClient(url, serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport },
  });
}
