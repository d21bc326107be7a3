// Drives the official Cytomine JS client (cytomine-client 3.1.0) through the settings the Web
// UI reads and an admin changes: configuration items, image filters enabled in a project and
// the custom UI of a project. Every step is recorded as {ok, ...}; the report is one JSON
// document on stdout.
//
// Usage: node --import ./register-hook.mjs settings.mjs <base-url> <user> <password>
import {
  Configuration,
  ConfigurationCollection,
  Cytomine,
  ImageFilterCollection,
  ImageFilterProject,
  ImageFilterProjectCollection,
  Project,
} from 'cytomine-client';
import { connect, recorder } from './session.mjs';

const [baseUrl, username, password] = process.argv.slice(2);
const report = {};
const step = recorder(report);
await connect(baseUrl, username, password);
const s = {};

await step('configurationSave', async () => {
  const saved = await new Configuration({ key: 'WELCOME', value: 'Hello', readingRole: 'ALL' }).save();
  return { key: saved.key, value: saved.value, readingRole: saved.readingRole };
});

await step('configurationRead', async () => {
  const one = await Configuration.fetch('WELCOME');
  const all = (await ConfigurationCollection.fetchAll()).array;
  return { value: one.value, keys: all.map((c) => c.key) };
});

await step('configurationDelete', async () => {
  await Configuration.delete('WELCOME');
  const all = (await ConfigurationCollection.fetchAll()).array;
  return { left: all.length };
});

await step('imageFilters', async () => {
  s.project = await new Project({ name: 'Filters' }).save();
  const filters = (await ImageFilterCollection.fetchAll()).array;
  s.otsu = filters.find((f) => f.method === 'otsu');
  return { count: filters.length, otsu: s.otsu.name };
});

await step('imageFilterProject', async () => {
  const link = await new ImageFilterProject({ imageFilter: s.otsu.id, project: s.project.id }).save();
  const listed = (await ImageFilterProjectCollection.fetchAll({
    filterKey: 'project',
    filterValue: s.project.id,
  })).array;
  await link.delete();
  const after = (await ImageFilterProjectCollection.fetchAll({
    filterKey: 'project',
    filterValue: s.project.id,
  })).array;
  return { listed: listed.map((f) => f.imageFilter), name: listed[0].name, after: after.length };
});

await step('customUI', async () => {
  const settings = await s.project.fetchUIConfig();
  settings['project-annotations-tab'].CONTRIBUTOR_PROJECT = false;
  const saved = await s.project.saveUIConfig(settings);
  const mine = await Cytomine.instance.fetchUIConfigCurrentUser(s.project.id);
  return {
    keys: Object.keys(settings).length,
    saved: saved['project-annotations-tab'],
    mine: mine['project-annotations-tab'],
    admin: mine.admin,
  };
});

console.log(JSON.stringify(report));
