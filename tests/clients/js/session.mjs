// What every script shares: the report of steps, and a client logged in the way the Web UI is
// (a token from the OIDC password grant, then a Bearer interceptor).
import { Cytomine } from 'cytomine-client';

export const report = {};

// Run one step, recording {ok: true, ...result} or {ok: false, status, error}.
export async function step(name, action) {
  try {
    report[name] = { ok: true, ...(await action()) };
  } catch (error) {
    report[name] = {
      ok: false,
      status: error.response ? error.response.status : null,
      error: String(error.message || error),
    };
  }
  return report[name];
}

// Create Cytomine.instance for baseUrl, authenticated as username.
export async function login(baseUrl, username, password) {
  const body = new URLSearchParams({ grant_type: 'password', client_id: 'core', username, password });
  const response = await fetch(`${baseUrl}/iam/realms/cytomine/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' },
    body,
  });
  const accessToken = (await response.json()).access_token;
  new Cytomine(baseUrl, '/api/', '/iam/realms/cytomine/', async (config) => {
    config.headers.Authorization = `Bearer ${accessToken}`;
    return config;
  });
}
