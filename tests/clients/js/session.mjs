// Shared by the client scripts: log in with the OIDC password grant, set up `new Cytomine`
// with a Bearer interceptor like the Web UI, and record each step as {ok, ...}.
import { Cytomine } from 'cytomine-client';

export async function connect(baseUrl, username, password) {
  const body = new URLSearchParams({ grant_type: 'password', client_id: 'core', username, password });
  const response = await fetch(`${baseUrl}/iam/realms/cytomine/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' },
    body,
  });
  const accessToken = (await response.json()).access_token;
  return new Cytomine(baseUrl, '/api/', '/iam/realms/cytomine/', async (config) => {
    config.headers.Authorization = `Bearer ${accessToken}`;
    return config;
  });
}

export function recorder(report) {
  return async function step(name, action) {
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
  };
}
