// Drives the official Cytomine JS client (cytomine-client 3.1.0) through what the Web UI's
// viewer does with an image and its annotations: image, slices, abstract image, annotation
// layers with the viewer's filters, terms, tracks, properties, tags, annotation index, review,
// histograms. Every step is recorded as {ok, ...}; the report is one JSON document on stdout.
//
// Usage: node --import ./register-hook.mjs images-annotations.mjs <base-url> <user> <password>
//        '<{"project": id, "image": id, "terms": [id, id]}>'
import {
  AbstractImage,
  Annotation,
  AnnotationCollection,
  AnnotationTerm,
  AnnotationTermCollection,
  AnnotationTrack,
  AnnotationTrackCollection,
  Cytomine,
  ImageInstance,
  ImageInstanceCollection,
  Property,
  PropertyCollection,
  SliceInstance,
  SliceInstanceCollection,
  Tag,
  TagDomainAssociation,
  TagDomainAssociationCollection,
  Track,
  TrackCollection,
  User,
} from 'cytomine-client';

const [baseUrl, username, password, given] = process.argv.slice(2);
const world = JSON.parse(given);
const [tumour, stroma] = world.terms;
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

const square = (x, y, size = 10) =>
  `POLYGON ((${x} ${y}, ${x + size} ${y}, ${x + size} ${y + size}, ${x} ${y + size}, ${x} ${y}))`;
const ids = (collection) => collection.array.map((item) => item.id).sort((a, b) => a - b);
const s = {};

await step('image', async () => {
  s.me = (await User.fetchCurrent()).id;
  s.image = await ImageInstance.fetch(world.image);
  const { width, height, zoom, tileSize, depth, project } = s.image;
  return { width, height, zoom, tileSize, depth, project };
});

await step('images', async () => {
  const images = await ImageInstanceCollection.fetchAll({ filterKey: 'project', filterValue: world.project });
  return { ids: ids(images) };
});

await step('slices', async () => {
  s.slice = await s.image.fetchReferenceSlice();
  const slices = await SliceInstanceCollection.fetchAll({ filterKey: 'imageinstance', filterValue: world.image });
  const again = await SliceInstance.fetch(s.slice.id);
  return { reference: s.slice.id, ids: ids(slices), image: again.image };
});

await step('abstractImage', async () => {
  s.abstract = await AbstractImage.fetch(s.image.baseImage);
  return { width: s.abstract.width, height: s.abstract.height };
});

await step('create', async () => {
  s.one = await new Annotation({
    location: square(100, 100, 40), image: world.image, slice: s.slice.id, term: [tumour], track: [],
  }).save();
  s.two = await new Annotation({ location: square(1500, 1200), image: world.image, term: [stroma] }).save();
  return { ids: [s.one.id, s.two.id].filter(Boolean).length, type: s.one.type, term: s.one.term };
});

await step('bulk', async () => {
  const bulk = new AnnotationCollection();
  for (let i = 0; i < 5; i++) {
    bulk.push(new Annotation({ location: square(400 + 30 * i, 700), image: world.image, term: [stroma], user: s.me }));
  }
  await bulk.save();
  const all = await AnnotationCollection.fetchAll({ image: world.image });
  return { total: all.length };
});

// The viewer's layer request: one POST annotation/search.json per extent.
const layer = (extra) => AnnotationCollection.fetchAll({
  image: world.image, slices: [s.slice.id], user: s.me, reviewed: false, notReviewedOnly: false,
  showWKT: true, showTerm: true, showGIS: true, showTrack: true, showLink: true,
  showImageGroup: true, kmeans: true, ...extra,
});

await step('layer', async () => {
  const found = await layer({ bbox: '0,0,300,300' });
  const one = found.array[0] || {};
  return { ids: ids(found), location: one.location, term: one.term, centroid: one.centroid != null };
});

await step('filters', async () => {
  const byTerms = await AnnotationCollection.fetchAll({ project: world.project, terms: [stroma] });
  const byUsers = await AnnotationCollection.fetchAll({ project: world.project, users: [s.me] });
  const byImages = await AnnotationCollection.fetchAll({ project: world.project, images: [world.image] });
  const noTerm = await AnnotationCollection.fetchAll({ project: world.project, noTerm: true });
  return { terms: byTerms.length, users: byUsers.length, images: byImages.length, noTerm: noTerm.length };
});

// What the Web UI sends itself through the client's axios instance (see the compat notes).
const api = () => Cytomine.instance.api;

const viewerLayer = (username) => api().post('annotation/search.json', {
  max: 0, offset: 0, showDefault: true, showWKT: true, showGIS: true, showTerm: true,
  notReviewedOnly: false, image: world.image, slices: String(s.slice.id), kmeans: true,
  bbox: '0,0,300,300', username, showTrack: true, showLink: true, showImageGroup: true,
});

await step('webuiLayer', async () => {
  const { data } = await viewerLayer(s.me);
  // A layer of a user who does not exist is refused (404), like reading that user.
  const other = await viewerLayer(s.me + 100000).then((r) => r.status, (e) => e.response.status);
  return { size: data.collection.length, count: data.collection.map((row) => row.count), other };
});

await step('webuiListPanel', async () => {
  const { data } = await api().post('annotation/search.json', {
    max: 1, offset: 0, showDefault: true, project: world.project, slices: String(s.slice.id),
    users: String(s.me), term: stroma, noTerm: false, multipleTerm: false, noTrack: true,
    multipleTrack: false, noTag: true, 'beforeSlice%5Bid%5D': s.slice.id,
    'beforeSlice%5Bimage%5D': world.image,
  });
  return { size: data.size, page: data.collection.length };
});

const sidePanels = {
  annotationLayers: () => api().get(`image-instances/${world.image}/annotation-layers`),
  propertyKeys: () => api().get('annotation/property/key.json', {
    params: { idImage: world.image, user: false, max: 0, offset: 0 },
  }),
  imageTracks: () => api().get(`imageinstance/${world.image}/track.json`, { params: { max: 0, offset: 0 } }),
  imageMetadata: () => api().get(`imageinstance/${world.image}/metadata.json`),
};
for (const [name, call] of Object.entries(sidePanels)) {
  await step(name, async () => {
    const { data } = await call();
    return { array: Array.isArray(data), collection: Array.isArray(data.collection) };
  });
}

// What the viewer fetches right after a drawing, and its position/consultation pings.
const domainUrl = (name) => `domain/be.cytomine.domain.ontology.UserAnnotation/${s.one.id}/${name}.json`;
const afterDraw = {
  comments: () => api().get(`userannotation/${s.one.id}/comment.json`),
  links: () => api().get(`annotation/${s.one.id}/annotationlink.json`),
  attachedFiles: () => api().get(domainUrl('attachedfile')),
  annotationTags: () => api().get(domainUrl('tag_domain_association')),
  description: () => api().get(domainUrl('description')).catch((error) => error.response),
  annotationProperties: () => api().get(domainUrl('property')),
  position: () => api().post(`sliceinstance/${s.slice.id}/position.json`, {
    image: world.image, slice: s.slice.id, zoom: 2, rotation: 0, bottomLeftX: 0, bottomLeftY: 0,
    bottomRightX: 100, bottomRightY: 0, topLeftX: 0, topLeftY: 100, topRightX: 100,
    topRightY: 100, broadcast: false,
  }),
  consultation: () => api().post(`imageinstance/${world.image}/consultation.json`, {
    image: world.image, mode: 'view',
  }),
};
for (const [name, call] of Object.entries(afterDraw)) {
  await step(name, async () => ({ status: (await call()).status }));
}

await step('paging', async () => {
  const pages = new AnnotationCollection({ nbPerPage: 3, project: world.project, showTerm: true });
  const first = (await pages.fetchPage(0)).length;
  const last = (await pages.fetchPage(2)).length;
  const all = await AnnotationCollection.fetchAll({ nbPerPage: 3, project: world.project });
  return { first, last, pages: pages.nbPages, total: pages.totalNbItems, all: all.length };
});

await step('update', async () => {
  s.one.location = square(50, 60, 20);
  await s.one.update();
  const again = await Annotation.fetch(s.one.id);
  return { location: again.location, area: again.area };
});

await step('terms', async () => {
  await new AnnotationTerm({ annotation: s.one.id, term: stroma }).save();
  const fetched = await AnnotationTerm.fetch(s.one.id, stroma);
  await AnnotationTerm.delete(s.one.id, tumour, s.me);
  const again = await Annotation.fetch(s.one.id);
  return { fetched: fetched.term, left: again.term };
});

await step('tracks', async () => {
  s.track = await new Track({ name: 'cell', color: '#0000FF', image: world.image }).save();
  const link = await new AnnotationTrack({ annotation: s.one.id, track: s.track.id, slice: s.slice.id }).save();
  const tracks = await TrackCollection.fetchAll({ filterKey: 'imageinstance', filterValue: world.image });
  const found = await layer({ bbox: '0,0,300,300' });
  const linked = await AnnotationTrack.fetch(s.one.id, s.track.id);
  await AnnotationTrack.delete(s.one.id, s.track.id);
  return {
    link: link.track === s.track.id, tracks: ids(tracks).length, layerTrack: found.array[0].track,
    linked: linked.annotationIdent,
  };
});

await step('editTools', async () => {
  const holed = await new Annotation({
    location: 'POLYGON ((600 100, 700 100, 700 200, 600 200, 600 100), (630 130, 660 130, 660 160, 630 160, 630 130))',
    image: world.image,
  }).save();
  const filled = await holed.fill();
  const grown = await Annotation.correctAnnotations({
    image: world.image, location: 'POLYGON ((690 120, 740 120, 740 180, 690 180, 690 120))',
    review: false, remove: false, layers: [s.me], annotation: holed.id,
  });
  const action = await s.one.recordAction('select');
  await holed.delete();
  return {
    filled: filled.location, grown: grown.id === holed.id, grownArea: grown.area,
    action: action.action || (action.annotationaction || {}).action || null,
  };
});

await step('simplify', async () => {
  await s.one.simplify(4, 10);
  return { location: s.one.location };
});

await step('linkCollections', async () => {
  const track = await new Track({ name: 'cell 2', color: '#00FFFF', image: world.image }).save();
  await new AnnotationTrack({ annotation: s.one.id, track: track.id }).save();
  const terms = await AnnotationTermCollection.fetchAll({ filterKey: 'annotation', filterValue: s.one.id });
  const byAnnotation = await AnnotationTrackCollection.fetchAll({ filterKey: 'annotation', filterValue: s.one.id });
  const byTrack = await AnnotationTrackCollection.fetchAll({ filterKey: 'track', filterValue: track.id });
  const panel = async (extra) => (await api().post('annotation/search.json', {
    max: 1, offset: 0, showDefault: true, project: world.project, ...extra,
  })).data.size;
  const panelCounts = [
    await panel({ noTrack: true }), await panel({ tracks: String(track.id) }),
    await panel({ tracks: String(track.id), noTrack: true }), await panel({ multipleTrack: true }),
  ];
  const next = await s.image.fetchNext();
  const previous = await s.image.fetchPrevious();
  await track.delete();
  return {
    terms: terms.array.map((t) => t.term), byAnnotation: byAnnotation.array.map((l) => l.track === track.id),
    byTrack: byTrack.array.map((l) => l.annotationIdent === s.one.id),
    neighbours: [next.id ?? null, previous.id ?? null], panelCounts,
  };
});

await step('properties', async () => {
  const prop = await new Property({ key: 'score', value: '7' }, s.one).save();
  const listed = await PropertyCollection.fetchAll({ object: s.one });
  prop.value = '8';
  await prop.update();
  const again = await Property.fetch(prop.id, s.one);
  await Property.delete(prop.id, s.one);
  const after = await PropertyCollection.fetchAll({ object: s.one });
  return { listed: listed.array.map((p) => p.key), value: again.value, after: after.length };
});

await step('tags', async () => {
  const tag = await new Tag({ name: `urgent-${process.pid}` }).save();
  const link = await new TagDomainAssociation({ tag: tag.id }, s.image).save();
  const listed = await TagDomainAssociationCollection.fetchAll({ object: s.image });
  const onAnnotation = await TagDomainAssociationCollection.fetchAll({ object: s.one });
  await TagDomainAssociation.delete(link.id);
  const after = await TagDomainAssociationCollection.fetchAll({ object: s.image });
  return {
    linked: link.id != null, listed: listed.array.map((a) => a.tag === tag.id),
    onAnnotation: onAnnotation.length, after: after.length,
  };
});

await step('tagDeleteThroughDomain', async () => {
  const tag = await new Tag({ name: `later-${process.pid}` }).save();
  const link = await new TagDomainAssociation({ tag: tag.id }, s.image).save();
  await TagDomainAssociation.delete(link.id, s.image);
  const after = await TagDomainAssociationCollection.fetchAll({ object: s.image });
  return { after: after.length };
});

await step('annotationIndex', async () => {
  const index = await s.slice.fetchAnnotationsIndex();
  const mine = index.find((row) => row.user === s.me) || {};
  return { count: mine.countAnnotation, reviewed: mine.countReviewedAnnotation, slice: mine.slice };
});

await step('crop', async () => {
  const url = s.one.annotationCropURL(64, 'png');
  const response = await fetch(url, { headers: { Authorization: `Bearer ${accessToken}` } });
  return { status: response.status, type: response.headers.get('content-type') };
});

await step('review', async () => {
  await s.image.review();
  const reviewed = await s.one.review([tumour]);
  const listed = await AnnotationCollection.fetchAll({ image: world.image, reviewed: true, showTerm: true });
  const stats = await s.image.fetchReviewStatistics();
  const pending = await AnnotationCollection.fetchAll({ image: world.image, notReviewedOnly: true });
  await s.one.cancelReview();
  await AnnotationCollection.reviewAll({ accept: true, image: world.image, users: [s.me] });
  const all = await AnnotationCollection.fetchAll({ image: world.image, reviewed: true });
  await AnnotationCollection.reviewAll({ accept: false, image: world.image, users: [s.me] });
  const after = await AnnotationCollection.fetchAll({ image: world.image, reviewed: true });
  await s.image.stopReview(true);
  return {
    type: reviewed.type, parent: reviewed.parentIdent === s.one.id, listed: listed.length,
    stats: Array.isArray(stats.collection || stats), pending: pending.length, all: all.length,
    after: after.length,
  };
});

const histogramCalls = {
  imageHistogram: () => s.image.fetchHistogram({ nBins: 16 }),
  imageHistogramBounds: () => s.image.fetchHistogramBounds(),
  imageChannelHistograms: () => s.image.fetchChannelHistograms({ nBins: 16 }),
  imageChannelBounds: () => s.image.fetchChannelHistogramBounds(),
  sliceHistogram: () => s.slice.fetchHistogram({ nBins: 16 }),
  sliceHistogramBounds: () => s.slice.fetchHistogramBounds(),
  sliceChannelHistograms: () => s.slice.fetchChannelHistograms({ nBins: 256 }),
  sliceChannelBounds: () => s.slice.fetchChannelHistogramBounds(),
};
for (const [name, call] of Object.entries(histogramCalls)) {
  await step(name, async () => {
    const data = await call();
    const rows = Array.isArray(data) ? data : data.collection;
    const first = Array.isArray(rows) ? rows[0] : data;
    return { rows: Array.isArray(rows) ? rows.length : null, keys: Object.keys(first).sort() };
  });
}

await step('delete', async () => {
  await s.two.delete();
  const all = await AnnotationCollection.fetchAll({ image: world.image });
  return { left: all.length };
});

process.stdout.write(`${JSON.stringify(report)}\n`);
