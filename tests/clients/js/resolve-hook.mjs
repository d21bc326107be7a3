// cytomine-client 3.1.0 ships ESM sources with three extension-less relative imports
// (e.g. `import Cytomine from '../cytomine'`) that only a bundler resolves. This hook retries
// such a relative specifier with `.js` appended, which is what the bundler would find.
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const relative = specifier.startsWith('./') || specifier.startsWith('../');
    if (relative && !specifier.endsWith('.js') && error.code === 'ERR_MODULE_NOT_FOUND') {
      return nextResolve(`${specifier}.js`, context);
    }
    throw error;
  }
}
