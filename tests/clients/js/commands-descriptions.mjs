// Drives the official Cytomine JS client (cytomine-client 3.1.0) through the viewer's undo and
// redo (Cytomine.undo/redo with the last command), the activity logs
// (Project.fetchCommandHistory) and the description panel (Description). Every step is
// recorded as {ok, ...}; the report is one JSON document on stdout.
//
// Usage: node --import ./register-hook.mjs commands-descriptions.mjs <base-url> <user> <password>
//        '<{"project": id, "image": id, "terms": [id, id]}>'
import { Annotation, Cytomine, Description, Project, User } from 'cytomine-client';
import { connect, recorder } from './session.mjs';

const [baseUrl, username, password, given] = process.argv.slice(2);
const world = JSON.parse(given);
const report = {};
const step = recorder(report);
await connect(baseUrl, username, password);
const s = {};
const FIRST = 'POLYGON ((10 10, 30 10, 30 30, 10 30, 10 10))';
const MOVED = 'POLYGON ((100 100, 140 100, 140 140, 100 140, 100 100))';
// What the viewer does with an undo/redo answer: the first model carrying an annotation.
const annotationOf = (collection) => collection.map((m) => m.annotation || m.reviewedannotation).find((a) => a);

await step('draw', async () => {
  s.me = (await User.fetchCurrent()).id;
  s.annotation = await new Annotation({ location: FIRST, image: world.image, term: [world.terms[0]] }).save();
  s.first = s.annotation.location;
  return { type: s.annotation.type, command: Cytomine.instance.lastCommand != null };
});

await step('move', async () => {
  s.annotation.location = MOVED;
  s.annotation.term = [world.terms[1]];
  await s.annotation.update();
  s.moveCommand = Cytomine.instance.lastCommand;
  s.moved = s.annotation.location;
  return { changed: s.moved !== s.first };
});

await step('undo', async () => {
  const restored = annotationOf(await Cytomine.instance.undo(s.moveCommand));
  return { back: restored.location === s.first, term: restored.term.length === 1 && restored.term[0] === world.terms[0] };
});

await step('redo', async () => {
  const redone = annotationOf(await Cytomine.instance.redo(s.moveCommand));
  return { again: redone.location === s.moved, term: redone.term[0] === world.terms[1] };
});

await step('delete-undo', async () => {
  await Annotation.delete(s.annotation.id);
  const restored = annotationOf(await Cytomine.instance.undo(Cytomine.instance.lastCommand));
  const fetched = await Annotation.fetch(s.annotation.id);
  return { sameId: restored.id === s.annotation.id, location: fetched.location === s.moved };
});

await step('history', async () => {
  const actions = await Project.fetchCommandHistory({ max: 50, offset: 0, user: s.me, fullData: true });
  const mine = await new Project({ id: world.project }).fetchCommandHistory({ max: 2 });
  return {
    prefixes: actions.map((a) => a.prefixAction),
    classNames: [...new Set(actions.map((a) => a.className.split('.').pop()))].sort(),
    projectPage: mine.length,
  };
});

await step('description', async () => {
  const project = await Project.fetch(world.project);
  let missing = null;
  try {
    await Description.fetch(project);
  } catch (error) {
    missing = error.response ? error.response.status : null;
  }
  const made = await new Description({ data: '<p>Scanned <b>twice</b></p>' }, project).save();
  const fetched = await Description.fetch(project);
  fetched.data = '<p>Scanned once</p>';
  await fetched.update();
  const again = await Description.fetch(project);
  await Description.delete(project);
  let gone = null;
  try {
    await Description.fetch(project);
  } catch (error) {
    gone = error.response ? error.response.status : null;
  }
  return { missing, saved: made.id != null, fetched: fetched.id === made.id, changed: again.data, gone };
});

await step('annotation-description', async () => {
  const made = await new Description({ data: 'Tumour border' }, s.annotation).save();
  return { className: made.domainClassName, ident: made.domainIdent === s.annotation.id };
});

console.log(JSON.stringify(report));
