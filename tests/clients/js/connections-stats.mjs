// Drives the official Cytomine JS client (cytomine-client 3.1.0) through what the Web UI does
// when it opens a project (ProjectConnection.save) and through the project activity page
// (connection history, frequencies, statistics). Every step is recorded as {ok, ...}; the
// report is one JSON document on stdout.
//
// Usage: node --import ./register-hook.mjs connections-stats.mjs <base-url> <user> <password>
//        '<{"project": id, "terms": [id, id]}>'
import { createRequire } from 'node:module';

import {
  AnnotationType,
  Project,
  ProjectConnection,
  ProjectConnectionCollection,
  User,
} from 'cytomine-client';

import { connect, recorder } from './session.mjs';

// ProjectConnection.save() calls require('detect-browser'), as the bundled client does.
globalThis.require = createRequire(import.meta.url);

const [baseUrl, username, password, given] = process.argv.slice(2);
const world = JSON.parse(given);
const report = {};
const step = recorder(report);
await connect(baseUrl, username, password);
const s = {};

await step('connect', async () => {
  s.me = (await User.fetchCurrent()).id;
  const connection = await new ProjectConnection({ project: world.project }).save();
  return {
    user: connection.user === s.me,
    project: connection.project,
    browser: typeof connection.browser,
    created: Boolean(connection.created),
  };
});

await step('history', async () => {
  await new ProjectConnection({ project: world.project }).save();
  const collection = new ProjectConnectionCollection({ project: world.project, user: s.me });
  const all = (await collection.fetchAll()).array;
  return { count: all.length, closed: all[1].time !== null, online: all[0].online === true };
});

await step('frequency', async () => {
  const periods = await ProjectConnectionCollection.fetchConnectionsFrequency({
    project: world.project,
    period: 'hour',
  });
  const shares = await ProjectConnectionCollection.fetchAverageConnections({
    project: world.project,
  });
  return {
    connections: periods.reduce((sum, x) => sum + x.frequency, 0),
    shares: shares.reduce((sum, x) => sum + x.frequency, 0),
  };
});

await step('activity', async () => {
  const project = await Project.fetch(world.project);
  const evolution = await project.fetchConnectionsEvolution({ daysRange: 1, accumulate: false });
  const users = (await project.fetchUsersActivity()).array;
  return {
    total: await project.fetchNbConnections({}),
    evolution: evolution.map((x) => x.size),
    frequency: users.find((u) => u.id === s.me).frequency,
  };
});

await step('stats', async () => {
  const project = await Project.fetch(world.project);
  const terms = await project.fetchStatsTerms({ leafsOnly: false });
  const creators = await project.fetchStatsAnnotationCreators();
  const evolution = await project.fetchAnnotationsEvolution({
    annotationType: AnnotationType.USER,
    daysRange: 1,
    accumulate: false,
  });
  return {
    terms: terms.map((t) => [t.id, t.value]),
    creators: creators.map((c) => [c.id, c.value]),
    periods: evolution.length,
  };
});

console.log(JSON.stringify(report));
