// Drives the official Cytomine JS client (cytomine-client 3.1.0) through the annotation
// comments and attached files of the Web UI's annotation panel. The client's own
// AttachedFile.save() posts a browser FormData (axios 0.21 cannot send one from Node), so the
// upload step sends the same form, built from the model's public properties, with fetch.
// Every step is recorded as {ok, ...}; the report is one JSON document on stdout.
//
// Usage: node --import ./register-hook.mjs comments-files.mjs <base-url> <user> <password>
//        '<{"project": id, "image": id, "terms": [id, id]}>'
import {
  Annotation,
  AnnotationComment,
  AnnotationCommentCollection,
  AttachedFile,
  AttachedFileCollection,
  Cytomine,
  User,
} from 'cytomine-client';

const [baseUrl, username, password, given] = process.argv.slice(2);
const world = JSON.parse(given);
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
  return (await response.json()).access_token;
}

const accessToken = await passwordGrant();
new Cytomine(baseUrl, '/api/', '/iam/realms/cytomine/', async (config) => {
  config.headers.Authorization = `Bearer ${accessToken}`;
  return config;
});
const api = () => Cytomine.instance.api;
const s = {};

await step('annotation', async () => {
  s.me = (await User.fetchCurrent()).id;
  const location = 'POLYGON ((10 10, 30 10, 30 30, 10 30, 10 10))';
  s.annotation = await new Annotation({ location, image: world.image }).save();
  return { type: s.annotation.type };
});

await step('comment', async () => {
  const comment = new AnnotationComment({
    object: s.annotation, comment: 'Is it tumour?', receivers: [s.me],
    subject: 'Annotation shared', from: 'Alice', annotationURL: 'x', shareAnnotationURL: 'y',
  });
  await comment.save();
  s.comment = comment;
  return { saved: comment.id != null, sender: comment.sender === s.me, receivers: comment.receivers };
});

await step('comments', async () => {
  const listed = await AnnotationCommentCollection.fetchAll({ object: s.annotation });
  const again = await AnnotationComment.fetch(s.comment.id, s.annotation);
  const annotation = await Annotation.fetch(s.annotation.id);
  return {
    listed: listed.array.map((c) => c.comment),
    fetched: again.comment,
    nbComments: annotation.nbComments,
  };
});

await step('attach', async () => {
  const file = new AttachedFile({ filename: 'notes.txt' }, s.annotation);
  const form = new FormData();
  const props = file.getPublicProperties();
  for (const key in props) {
    form.append(key, props[key]);
  }
  form.append('files[]', new Blob(['hello']), 'blob');
  const response = await fetch(`${baseUrl}/api/${file.uri}`, {
    method: 'POST', headers: { Authorization: `Bearer ${accessToken}` }, body: form,
  });
  file.populate(await response.json());
  s.file = file;
  return { status: response.status, filename: file.filename, url: file.url === `/api/attachedfile/${file.id}/download` };
});

await step('files', async () => {
  const listed = await AttachedFileCollection.fetchAll({ object: s.annotation });
  const again = await AttachedFile.fetch(s.file.id, s.annotation);
  const { data } = await api().get(`attachedfile/${s.file.id}/download`);
  return { listed: listed.array.map((f) => f.filename), fetched: again.filename, content: data };
});

await step('detach', async () => {
  await s.file.delete();
  const listed = await AttachedFileCollection.fetchAll({ object: s.annotation });
  return { after: listed.length };
});

process.stdout.write(`${JSON.stringify(report)}\n`);
