"""Wire types of the Cytomine API: generated Structs, envelopes, domain errors, the pyramid.

Import the submodules (``contracts._generated``, ``contracts.envelopes``,
``contracts.errors``, ``contracts.pyramid``); the package itself imports nothing, so the generator
(``python -m contracts.codegen``) runs with the standard library alone.
"""
