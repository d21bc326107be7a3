// Drives the official Cytomine JS client (cytomine-client 3.1.0) against a running server the
// way the Web UI does: a token from the OIDC password grant, a Bearer interceptor, then model
// calls. Every step is recorded as {ok, ...} and the whole report is printed as one JSON
// document on stdout, so the caller decides which steps must pass.
//
// Usage: node --import ./register-hook.mjs run-client.mjs <base-url> <username> <password>
import {
  Cytomine,
  MyAccount,
  Ontology,
  OntologyCollection,
  Project,
  ProjectCollection,
  Term,
  TermCollection,
  User,
} from 'cytomine-client';

const [baseUrl, username, password] = process.argv.slice(2);
const report = {};

async function step(name, action) {
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

async function passwordGrant() {
  const body = new URLSearchParams({ grant_type: 'password', client_id: 'core', username, password });
  const response = await fetch(`${baseUrl}/iam/realms/cytomine/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' },
    body,
  });
  const tokens = await response.json();
  if (response.status !== 200) {
    throw new Error(`token endpoint answered ${response.status}: ${JSON.stringify(tokens)}`);
  }
  return tokens;
}

let accessToken = null;
const interceptor = async (config) => {
  config.headers.Authorization = `Bearer ${accessToken}`;
  return config;
};

const suffix = `${Date.now()}-${process.pid}`;
const created = {};

await step('token', async () => {
  const tokens = await passwordGrant();
  accessToken = tokens.access_token;
  return { tokenType: tokens.token_type, expiresIn: tokens.expires_in };
});

new Cytomine(baseUrl, '/api/', '/iam/realms/cytomine/', interceptor);

await step('currentUser', async () => {
  const user = await User.fetchCurrent();
  return { id: user.id, username: user.username };
});

await step('account', async () => {
  const account = await MyAccount.fetch();
  return { username: account.username, isDeveloper: account.isDeveloper };
});

await step('createOntology', async () => {
  const ontology = await new Ontology({ name: `js-ontology-${suffix}` }).save();
  created.ontology = ontology.id;
  return { id: ontology.id, name: ontology.name };
});

await step('createTerm', async () => {
  const term = await new Term({
    name: `js-term-${suffix}`,
    ontology: created.ontology,
    color: '#FF0000',
  }).save();
  created.term = term.id;
  return { id: term.id, name: term.name, ontology: term.ontology };
});

await step('createProject', async () => {
  const project = await new Project({
    name: `js-project-${suffix}`,
    ontology: created.ontology,
  }).save();
  created.project = project.id;
  return { id: project.id, name: project.name, ontology: project.ontology };
});

await step('listOntologies', async () => {
  const ontologies = await OntologyCollection.fetchAll();
  return { ids: ontologies.array.map((o) => o.id) };
});

await step('listTerms', async () => {
  const terms = await TermCollection.fetchAll({ filterKey: 'ontology', filterValue: created.ontology });
  return { ids: terms.array.map((t) => t.id) };
});

await step('listProjects', async () => {
  const projects = await ProjectCollection.fetchAll();
  return { ids: projects.array.map((p) => p.id) };
});

process.stdout.write(`${JSON.stringify({ created, steps: report })}\n`);
